namespace EdgeCnn.Runtime.Graph;

/// <summary>
/// Told about each node as <see cref="InferenceSession.Run{TObserver}(ref TObserver)"/> runs it: per-layer timing in the
/// benchmark, intermediate tensors for calibration and per-layer error in the converter. Implement it on a struct so the
/// calls are direct and allocation-free.
/// </summary>
public interface IRunObserver
{
    /// <summary>Node <paramref name="node"/> (an index into the model's nodes) is about to run.</summary>
    void NodeStarting(int node);

    /// <summary>Node <paramref name="node"/> has run: its outputs hold their values now.</summary>
    void NodeFinished(int node);
}

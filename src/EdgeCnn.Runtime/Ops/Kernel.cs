namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// One planned node, ready to run: it holds pointers into the arena and the model, and every constant it needs,
/// all computed at Plan. Run only computes: no allocation, no checks that Plan could have made.
/// </summary>
public abstract class Kernel
{
    /// <summary>Kernel name following KERNELS.md naming, e.g. "f32-conv-ref".</summary>
    public abstract string Name { get; }

    public abstract void Run();
}

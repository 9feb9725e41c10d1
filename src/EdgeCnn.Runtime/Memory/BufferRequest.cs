namespace EdgeCnn.Runtime.Memory;

/// <summary>
/// One block the arena must hold: its size and the steps it is live (inclusive). Step -1 is "before the first node"
/// (graph inputs); the last step of a graph output is the node count.
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct BufferRequest(long Bytes, int FirstStep, int LastStep)
{
    public bool OverlapsInTime(BufferRequest other) => FirstStep <= other.LastStep && other.FirstStep <= LastStep;
}

namespace EdgeCnn.Converter.Reports;

/// <summary>One node as `inspect` shows it.</summary>
public sealed record LayerSummary(
    int Index,
    string Name,
    string Op,
    string Kernel,
    IReadOnlyList<string> Inputs,   // "name fp32[1,28,28,1]"
    IReadOnlyList<string> Outputs,
    string Attributes,
    long Parameters,                // constant elements read by the node
    long Macs,                      // multiply-accumulates per inference
    long ArenaOffset,               // of the first output; -1 for a view of a constant
    long ArenaBytes);               // bytes of the outputs

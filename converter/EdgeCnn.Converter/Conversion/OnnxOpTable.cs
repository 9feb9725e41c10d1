namespace EdgeCnn.Converter.Conversion;

/// <summary>How the converter handles one ONNX op: the opset range it supports and what it turns into.</summary>
public sealed record OnnxOpSupport(string OpType, int MinOpset, int MaxOpset, string Becomes);

/// <summary>
/// The one table of ONNX ops the converter supports, read by the converter, `edgecnn-convert ops` and the conformance
/// test. Each family adds its rows in its own file (OnnxOpTable.Family.cs).
/// </summary>
internal static partial class OnnxOpTable
{
    /// <summary>The newest opset the converter was written against; newer models are refused rather than misread.</summary>
    public const int MaxOpset = 22;

    public const int MinOpset = 7;

    private static readonly Dictionary<string, Entry> s_ops = Build();

    public static IEnumerable<OnnxOpSupport> All => s_ops.Values.Select(e => e.Support).OrderBy(s => s.OpType, StringComparer.Ordinal);

    public static bool TryGet(string opType, out Entry entry) => s_ops.TryGetValue(opType, out entry!);

    private static Dictionary<string, Entry> Build()
    {
        var list = new List<Entry>();
        AddConvolution(list);
        AddPooling(list);
        AddActivations(list);
        AddElementwise(list);
        AddNormalization(list);
        AddShape(list);
        AddConstants(list);
        AddQuantization(list);
        return list.ToDictionary(e => e.Support.OpType, StringComparer.Ordinal);
    }

    static partial void AddConvolution(List<Entry> ops);

    static partial void AddPooling(List<Entry> ops);

    static partial void AddActivations(List<Entry> ops);

    static partial void AddElementwise(List<Entry> ops);

    static partial void AddNormalization(List<Entry> ops);

    static partial void AddShape(List<Entry> ops);

    static partial void AddConstants(List<Entry> ops);

    static partial void AddQuantization(List<Entry> ops);

    /// <summary>
    /// One row: Convert emits runtime nodes; Fold, when present, computes the outputs at conversion time and is used
    /// whenever every input is known then (shape arithmetic, constant subgraphs).
    /// </summary>
    internal sealed record Entry(OnnxOpSupport Support, Action<ConversionContext, OnnxNode>? Convert,
        Func<ConversionContext, OnnxNode, ConstTensor[]>? Fold = null);
}

using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// The one table of operators. Each op family registers itself in its own file (OpRegistry.Family.cs) through a partial
/// method, so adding an operator touches only its own files.
/// </summary>
public static partial class OpRegistry
{
    private static readonly Dictionary<OpCode, Operator> s_ops = Build();

    public static IEnumerable<Operator> All => s_ops.Values.OrderBy(o => (int)o.Code);

    public static bool TryGet(OpCode code, out Operator op) => s_ops.TryGetValue(code, out op!);

    public static Operator Get(OpCode code) =>
        s_ops.TryGetValue(code, out Operator? op) ? op : throw new KeyNotFoundException($"no operator {code}");

    private static Dictionary<OpCode, Operator> Build()
    {
        var list = new List<Operator>();
        RegisterConvolution(list);
        RegisterPooling(list);
        RegisterActivations(list);
        RegisterElementwise(list);
        RegisterNormalization(list);
        RegisterShape(list);
        RegisterQuantization(list);
        var map = new Dictionary<OpCode, Operator>();
        foreach (Operator op in list)
        {
            map.Add(op.Code, op);
        }

        return map;
    }

    static partial void RegisterConvolution(List<Operator> ops);

    static partial void RegisterPooling(List<Operator> ops);

    static partial void RegisterActivations(List<Operator> ops);

    static partial void RegisterElementwise(List<Operator> ops);

    static partial void RegisterNormalization(List<Operator> ops);

    static partial void RegisterShape(List<Operator> ops);

    static partial void RegisterQuantization(List<Operator> ops);
}

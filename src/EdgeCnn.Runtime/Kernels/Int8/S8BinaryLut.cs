using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// An int8 binary element-wise node (Mul, Div) as Plan sees it: inputs and output, their counts, the broadcast layout, and
/// the reference operator as a function, called only at Plan to fill a table.
/// </summary>
internal sealed unsafe class S8BinaryPlan(sbyte* a, int countA, sbyte* b, int countB, sbyte* y, int countY, BroadcastLayout layout,
    Func<sbyte, sbyte, sbyte> reference)
{
    public sbyte* A { get; } = a;        // input 0, its own shape

    public int CountA { get; } = countA;

    public sbyte* B { get; } = b;        // input 1, its own shape

    public int CountB { get; } = countB;

    public sbyte* Y { get; } = y;        // output, the broadcast shape

    public int CountY { get; } = countY;

    public BroadcastLayout Layout { get; } = layout;

    public Func<sbyte, sbyte, sbyte> Reference { get; } = reference;
}

/// <summary>
/// y = table[a][b]: the reference operator evaluated at Plan for all 256 x 256 int8 pairs (64 KiB), so Run does one
/// load per element whatever the arithmetic: TFLite's fixed-point Mul (a 64-bit rounding multiply and a rounding shift per
/// element) or Div through fp32 (two dequantizations, a division and a rounding). Bit-exact with the reference by
/// construction. Broadcasting through the reference's odometer driver. Worth it for the small tensors these ops see in
/// detection heads (box decoding: thousands of elements, where the table stays in L2); built once per node.
/// </summary>
internal static unsafe class S8BinaryLut
{
    public static bool Accepts(S8BinaryPlan plan) => plan is not null;

    public static Kernel Create(string name, S8BinaryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        sbyte[] table = GC.AllocateArray<sbyte>(256 * 256, pinned: true);
        for (int a = -128; a <= 127; a++)
        {
            for (int b = -128; b <= 127; b++)
            {
                table[((a + 128) << 8) | (b + 128)] = plan.Reference((sbyte)a, (sbyte)b);
            }
        }

        var op = new Lookup((sbyte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(table)));
        return new BroadcastKernel<sbyte, sbyte, sbyte, Lookup>(name, plan.A, plan.CountA, plan.B, plan.CountB, plan.Y, plan.CountY, plan.Layout, op,
            keepAlive: table);
    }

    /// <summary>The table as an operator; the kernel keeps the (pinned) array alive.</summary>
    internal readonly struct Lookup(sbyte* table) : IBinaryOperator<sbyte, sbyte, sbyte>
    {
        private readonly sbyte* _table = table;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public sbyte Invoke(sbyte a, sbyte b) => _table[((byte)(a ^ unchecked((sbyte)0x80)) << 8) | (byte)(b ^ unchecked((sbyte)0x80))];
    }
}

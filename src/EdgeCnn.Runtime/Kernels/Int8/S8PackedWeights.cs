using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// Convolution / Dense weights packed at Plan into the panel layout of an int8 GEMM microkernel with NR columns and
/// 4-deep reduction groups ("c4"): for each group g and panel j (output channels g * OG + j * NR ..+NR) the bytes
///   [Taps][ceil(Kc / 4)][NR][4]
/// so one 4-byte broadcast of activations meets NR columns x 4 weights in one vector. Columns past OG and reduction
/// positions past Kc are 0, so they add nothing. Alongside: the folded bias per column,
///   bias[o] - (z_x + shift) * sum_k w[o, k]
/// with shift 128 for kernels that read activations as u8 (x + 128), 0 otherwise. The arithmetic wraps in int32 exactly as
/// the reference accumulator does, so the result is bit-identical even where an int32 sum would overflow.
/// </summary>
public sealed unsafe class S8PackedWeights
{
    private readonly sbyte[] _weights; // [Group][Panels][Taps][Kc4 / 4][Nr][4], pinned
    private readonly int[] _bias;      // [Group][Panels * Nr], pinned

    /// <param name="w">OHWI weights [Group * OG][Taps][Kc] (a Dense layer is [O][1][K])</param>
    /// <param name="bias">[Group * OG] int32 bias, or empty</param>
    public S8PackedWeights(ReadOnlySpan<sbyte> w, ReadOnlySpan<int> bias, int group, int groupOutC, int taps, int kc, int nr,
        int inputZeroPoint, int activationShift)
    {
        if (group < 1 || groupOutC < 1 || taps < 1 || kc < 1 || nr < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(group), $"group {group}, OG {groupOutC}, taps {taps}, Kc {kc}, NR {nr} must all be >= 1");
        }

        int outC = checked(group * groupOutC), perOutput = checked(taps * kc);
        if (w.Length != checked(outC * perOutput) || (!bias.IsEmpty && bias.Length != outC))
        {
            throw new ArgumentException($"weights hold {w.Length} values and bias {bias.Length}; [{outC}][{taps}][{kc}] and [{outC}] expected", nameof(w));
        }

        Nr = nr;
        Kc4 = (kc + 3) & ~3;
        Panels = (groupOutC + nr - 1) / nr;
        PanelBytes = checked(taps * Kc4 * nr);
        _weights = GC.AllocateArray<sbyte>(checked(group * Panels * PanelBytes), pinned: true);
        _bias = GC.AllocateArray<int>(checked(group * Panels * nr), pinned: true);
        int zeroTerm = inputZeroPoint + activationShift;
        for (int g = 0; g < group; g++)
        {
            for (int j = 0; j < Panels; j++)
            {
                Span<sbyte> panel = _weights.AsSpan(((g * Panels) + j) * PanelBytes, PanelBytes);
                for (int n = 0; n < nr && (j * nr) + n < groupOutC; n++)
                {
                    int o = (g * groupOutC) + (j * nr) + n;
                    ReadOnlySpan<sbyte> wo = w.Slice(o * perOutput, perOutput);
                    int sum = 0;
                    for (int t = 0; t < taps; t++)
                    {
                        for (int k = 0; k < kc; k++)
                        {
                            sbyte v = wo[(t * kc) + k];
                            sum += v;
                            panel[(t * Kc4 * nr) + ((k >> 2) * nr * 4) + (n * 4) + (k & 3)] = v;
                        }
                    }

                    // |sum| <= 128 * 65536 (the reduction limit), but the bias and the product may wrap: wrap as the reference does.
                    _bias[(((g * Panels) + j) * nr) + n] = unchecked((bias.IsEmpty ? 0 : bias[o]) - (zeroTerm * sum));
                }
            }
        }
    }

    public int Nr { get; }

    /// <summary>Kc rounded up to a multiple of 4.</summary>
    public int Kc4 { get; }

    /// <summary>Panels per group: ceil(OG / NR).</summary>
    public int Panels { get; }

    public int PanelBytes { get; }

    /// <summary>Packed panel j of group g.</summary>
    public sbyte* Panel(int g, int j) => WeightsBase + ((((long)g * Panels) + j) * PanelBytes);

    /// <summary>Folded bias of panel j of group g ([NR]).</summary>
    public int* Bias(int g, int j) => BiasBase + ((((long)g * Panels) + j) * Nr);

    private sbyte* WeightsBase => (sbyte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_weights));

    private int* BiasBase => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_bias));
}

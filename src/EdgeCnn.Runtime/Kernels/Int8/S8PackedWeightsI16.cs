using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// Convolution / Dense weights widened to int16 and packed at Plan for a vpmaddwd microkernel with NR columns and 2-deep
/// reduction pairs ("c2"): for each group g and panel j (output channels g * OG + j * NR ..+NR) the int16 values
///   [Taps][ceil(Kc / 2)][NR][2]
/// so one 32-bit broadcast of two int16 activations meets 8 columns x 2 weights in one 256-bit vector, and vpmaddwd
/// leaves each column's sum in its own int32 lane (no fold at the end). Columns past OG and the odd reduction position
/// past Kc are 0, so whatever activation meets them adds nothing. Alongside: the folded bias per column,
/// bias[o] - z_x * sum_k w[o, k], wrapping in int32 exactly as the reference accumulator does.
/// </summary>
public sealed unsafe class S8PackedWeightsI16
{
    private readonly short[] _weights; // [Group][Panels][Taps][Kc2 / 2][Nr][2], pinned
    private readonly int[] _bias;      // [Group][Panels * Nr], pinned

    /// <param name="w">OHWI weights [Group * OG][Taps][Kc] (a Dense layer is [O][1][K])</param>
    /// <param name="bias">[Group * OG] int32 bias, or empty</param>
    public S8PackedWeightsI16(ReadOnlySpan<sbyte> w, ReadOnlySpan<int> bias, int group, int groupOutC, int taps, int kc, int nr,
        int inputZeroPoint)
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
        Kc2 = (kc + 1) & ~1;
        Panels = (groupOutC + nr - 1) / nr;
        PanelValues = checked(taps * Kc2 * nr);
        _weights = GC.AllocateArray<short>(checked(group * Panels * PanelValues), pinned: true);
        _bias = GC.AllocateArray<int>(checked(group * Panels * nr), pinned: true);
        for (int g = 0; g < group; g++)
        {
            for (int j = 0; j < Panels; j++)
            {
                Span<short> panel = _weights.AsSpan(((g * Panels) + j) * PanelValues, PanelValues);
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
                            panel[(t * Kc2 * nr) + ((k >> 1) * nr * 2) + (n * 2) + (k & 1)] = v;
                        }
                    }

                    _bias[(((g * Panels) + j) * nr) + n] = unchecked((bias.IsEmpty ? 0 : bias[o]) - (inputZeroPoint * sum));
                }
            }
        }
    }

    public int Nr { get; }

    /// <summary>Kc rounded up to a multiple of 2.</summary>
    public int Kc2 { get; }

    /// <summary>Panels per group: ceil(OG / NR).</summary>
    public int Panels { get; }

    /// <summary>int16 values per panel.</summary>
    public int PanelValues { get; }

    /// <summary>Packed panel j of group g.</summary>
    public short* Panel(int g, int j) => WeightsBase + ((((long)g * Panels) + j) * PanelValues);

    /// <summary>Folded bias of panel j of group g ([NR]).</summary>
    public int* Bias(int g, int j) => BiasBase + ((((long)g * Panels) + j) * Nr);

    private short* WeightsBase => (short*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_weights));

    private int* BiasBase => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_bias));
}

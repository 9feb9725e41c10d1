using EdgeCnn.Runtime.Kernels.Int8;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.X86;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>
/// The vector requantizations against the reference (Int8Requant.Output, i.e. FixedPoint.MultiplyByQuantizedMultiplierSingleRounding),
/// bit for bit, over every row length 0..70 (every tail of 4, 8 and 16 lanes), accumulators at the int32 extremes, every
/// shift from -31 to 30, and output zero points and clamps at the int8 extremes.
/// </summary>
[Trait("Category", "Kernels")]
public unsafe class S8RequantVectorTests
{
    public delegate void RowFunction(int* acc, sbyte* y, int count, S8RequantView q);

    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string> { "v128", "v512" };
        if (S8RequantAvx2.IsSupported)
        {
            data.Add("avx2");
        }

        return data;
    }

    private static RowFunction Path(string name) => name switch
    {
        "avx2" => S8RequantAvx2.Row,
        "v128" => S8RequantVector128.Row,
        _ => S8RequantVector512.Row,
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_length_and_extreme_matches_the_reference(string path)
    {
        RowFunction row = Path(path);
        var rng = new Random(20261121);
        int[] special = [int.MinValue, int.MinValue + 1, -1 << 30, -65536, -1, 0, 1, 65535, 1 << 30, int.MaxValue - 1, int.MaxValue];
        for (int count = 0; count <= 70; count++)
        {
            foreach ((int zy, int min, int max) in new[] { (0, -128, 127), (-128, -128, 127), (127, -128, 127), (5, -20, 90) })
            {
                Int8Requant requant = S8TestData.Requant(rng, count, 0, zy, min, max);
                var acc = new int[count];
                for (int i = 0; i < count; i++)
                {
                    acc[i] = rng.Next(3) == 0 ? special[rng.Next(special.Length)] : rng.Next(-1 << 20, 1 << 20);
                }

                Check(row, requant, acc, $"{path} count {count} zy {zy} clamp [{min}, {max}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_shift_rounds_ties_as_the_reference(string path)
    {
        // Accumulators around every rounding boundary of every right shift, and left shifts that wrap, per shift -31..30.
        RowFunction row = Path(path);
        var rng = new Random(7);
        for (int shift = -31; shift <= 30; shift++)
        {
            const int Count = 37;
            var multipliers = new int[Count];
            var shifts = new int[Count];
            var acc = new int[Count];
            for (int i = 0; i < Count; i++)
            {
                multipliers[i] = i % 5 == 0 ? 1 << 30 : rng.Next(1 << 30, int.MaxValue);
                shifts[i] = shift;
                int right = Math.Max(-shift, 0);
                long tie = right == 0 ? 1 : 1L << (right - 1);
                long v = (rng.Next(-1000, 1000) * (tie * 2)) + tie + rng.Next(-1, 2);
                acc[i] = rng.Next(4) == 0 ? rng.Next(int.MinValue, int.MaxValue) : (int)Math.Clamp(v, int.MinValue, int.MaxValue);
            }

            var requant = new Int8Requant(0, rng.Next(-128, 128), multipliers, shifts, -128, 127);
            Check(row, requant, acc, $"{path} shift {shift}");
        }
    }

    /// <summary>
    /// The AVX2 requantization's int32 result before any clamp or narrowing (where the int8 store's saturation could hide a wrong
    /// high bit) equals the reference's MultiplyByQuantizedMultiplierSingleRounding + z_y, for every shift -31..30, the
    /// int32 extremes, the smallest and largest multipliers, and channel offsets on and off the 8-lane blocks.
    /// </summary>
    [Fact]
    public void Avx2_unclamped_result_is_the_reference_int32()
    {
        if (!S8RequantAvx2.IsSupported)
        {
            Assert.False(System.Runtime.Intrinsics.X86.Avx2.IsSupported);
            return;
        }

        var rng = new Random(41);
        int[] special = [int.MinValue, int.MinValue + 1, -1 << 30, -1, 0, 1, 1 << 30, int.MaxValue];
        const int Count = 45;
        int checkedLanes = 0;
        for (int shift = -31; shift <= 30; shift++)
        {
            var multipliers = new int[Count];
            var shifts = new int[Count];
            for (int i = 0; i < Count; i++)
            {
                multipliers[i] = (i % 3) switch { 0 => 1 << 30, 1 => int.MaxValue, _ => rng.Next(1 << 30, int.MaxValue) };
                shifts[i] = i % 4 == 0 ? rng.Next(-31, 31) : shift;
            }

            int zy = rng.Next(-128, 128);
            var requant = new Int8Requant(0, zy, multipliers, shifts, -128, 127);
            var parameters = new S8RequantParams(requant, Count);
            var acc = new int[8];
            var lanes = new int[8];
            for (int c = 0; c + 8 <= Count; c += 3)
            {
                for (int i = 0; i < 8; i++)
                {
                    acc[i] = rng.Next(2) == 0 ? special[rng.Next(special.Length)] : rng.Next(int.MinValue, int.MaxValue);
                }

                fixed (int* a = acc)
                fixed (int* l = lanes)
                {
                    var k = new S8RequantAvx2Constants(parameters.At(c));
                    var v = System.Runtime.Intrinsics.X86.Avx.LoadVector256(a);
                    System.Runtime.Intrinsics.X86.Avx.Store(l, S8RequantAvx2.Apply<S8On, S8Off, S8Off>(v, k));
                }

                for (int i = 0; i < 8; i++)
                {
                    int expected = unchecked(Runtime.Quantization.FixedPoint.MultiplyByQuantizedMultiplierSingleRounding(acc[i], multipliers[c + i], shifts[c + i]) + zy);
                    Assert.True(expected == lanes[i], $"channel {c + i} acc {acc[i]} multiplier {multipliers[c + i]} shift {shifts[c + i]}: {lanes[i]}, expected {expected}");
                    checkedLanes++;
                }
            }
        }

        Assert.True(checkedLanes > 5000, $"only {checkedLanes} lanes checked");
    }

    private static void Check(RowFunction row, Int8Requant requant, int[] acc, string context)
    {
        int count = acc.Length;
        var expected = new sbyte[count];
        for (int i = 0; i < count; i++)
        {
            expected[i] = requant.Output(acc[i], i);
        }

        var parameters = new S8RequantParams(requant, count);
        var actual = new sbyte[count + 1];
        actual[count] = 99; // canary: nothing past the row is written
        fixed (int* a = acc)
        fixed (sbyte* y = actual)
        {
            row(a, y, count, parameters.At(0));
        }

        Tolerance.Equal(expected, actual.AsSpan(0, count), $"{context} acc [{string.Join(", ", acc)}]");
        Assert.Equal(99, actual[count]);
    }
}

using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>Algebraic properties of the shape ops over small random shapes (each property well under 100 cases).</summary>
public class ShapePropertyTests
{
    private static readonly Gen<int[]> s_shape =
        Gen.Choose(1, 4).SelectMany(rank => Gen.ArrayOf(Gen.Choose(1, 3), rank));

    private static float[] Iota(int[] shape) => Enumerable.Range(1, (int)ShapeMath.ElementCount(shape)).Select(i => (float)i).ToArray();

    private static void Check<T>(Gen<T> gen, Func<T, bool> property) =>
        Prop.ForAll(Arb.From(gen), property).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void Transpose_then_inverse_transpose_is_identity()
    {
        Gen<(int[] Shape, int[] Perm)> gen = s_shape.SelectMany(s => Gen.Shuffle(Enumerable.Range(0, s.Length).ToArray()), (s, p) => (s, p));
        Check(gen, c =>
        {
            var inverse = new int[c.Perm.Length];
            for (int k = 0; k < c.Perm.Length; k++)
            {
                inverse[c.Perm[k]] = k;
            }

            var b = new ModelBuilder();
            TensorRef t = b.Transpose(b.Input("x", DataType.Float32, c.Shape), c.Perm);
            b.Output(b.Transpose(t, inverse));
            float[] x = Iota(c.Shape);
            return Run.Float(b, x).SequenceEqual(x);
        });
    }

    [Fact]
    public void Reshape_preserves_element_order()
    {
        // Target: the input dims shuffled, one of them replaced by -1 (so it must be inferred back).
        Gen<(int[] Shape, int[] Target)> gen = s_shape.SelectMany(
            s => Gen.Shuffle(s).SelectMany(t => Gen.Choose(0, t.Length - 1), (t, i) => t.Select((d, j) => j == i ? -1 : d).ToArray()),
            (s, t) => (s, t));
        Check(gen, c =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, c.Shape);
            TensorRef r = b.Reshape(b.Node(OpCode.Relu, x), c.Target); // relu gives the view an arena buffer of its own
            b.Output(r);
            float[] data = Iota(c.Shape);
            return ShapeMath.ElementCount(b.Shape(r)) == data.Length && Run.Float(b, data).SequenceEqual(data);
        });
    }

    [Fact]
    public void Concat_then_slicing_back_gives_the_inputs()
    {
        Gen<(int[] Shape, int Axis, int[] Sizes)> gen = s_shape.SelectMany(
            s => Gen.Choose(0, s.Length - 1).SelectMany(a => Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 3), n)), (a, sizes) => (a, sizes)),
            (s, t) => (s, t.a, t.sizes));
        Check(gen, c =>
        {
            var b = new ModelBuilder();
            var inputs = new TensorRef[c.Sizes.Length];
            var data = new float[c.Sizes.Length][];
            for (int i = 0; i < inputs.Length; i++)
            {
                int[] shape = (int[])c.Shape.Clone();
                shape[c.Axis] = c.Sizes[i];
                inputs[i] = b.Input($"x{i}", DataType.Float32, shape);
                data[i] = Iota(shape).Select(v => v + (1000 * i)).ToArray();
            }

            b.Output(b.Concat(inputs, c.Axis));
            float[] y = Run.Float(b, data);
            // Slice back naively: y viewed as [outer, total, inner]; input i owns axis range [start, start + size).
            int outer = (int)ShapeMath.ElementCount(c.Shape.AsSpan(0, c.Axis)), inner = (int)ShapeMath.ElementCount(c.Shape.AsSpan(c.Axis + 1));
            int total = c.Sizes.Sum(), start = 0;
            for (int i = 0; i < inputs.Length; i++)
            {
                for (int o = 0; o < outer; o++)
                {
                    for (int a = 0; a < c.Sizes[i]; a++)
                    {
                        for (int e = 0; e < inner; e++)
                        {
                            if (y[(((o * total) + start + a) * inner) + e] != data[i][(((o * c.Sizes[i]) + a) * inner) + e])
                            {
                                return false;
                            }
                        }
                    }
                }

                start += c.Sizes[i];
            }

            return true;
        });
    }

    [Fact]
    public void Pad_then_crop_gives_the_input()
    {
        Gen<(int[] Shape, int[] Pads, PadFill Mode)> gen = s_shape.SelectMany(
            s => Gen.ArrayOf(Gen.Choose(0, 2), 2 * s.Length).SelectMany(p => Gen.Elements(PadFill.Constant, PadFill.Reflect, PadFill.Edge), (p, m) => (p, m)),
            (s, t) => (s, t.p, t.m));
        Check(gen.Where(c => c.Mode != PadFill.Reflect || c.Pads.Select((p, i) => p < c.Shape[i % c.Shape.Length]).All(ok => ok)), c =>
        {
            var b = new ModelBuilder();
            TensorRef padded = b.Pad(b.Input("x", DataType.Float32, c.Shape), c.Pads, c.Mode, 5f);
            b.Output(b.Pad(padded, c.Pads.Select(p => -p).ToArray()));
            float[] x = Iota(c.Shape);
            return Run.Float(b, x).SequenceEqual(x);
        });
    }

    [Fact]
    public void Resize_to_the_same_size_is_identity()
    {
        Gen<(int[] Shape, ResizeMode Mode, ResizeCoordinateMode Coord)> gen = s_shape.SelectMany(
            s => Gen.Elements(ResizeMode.Nearest, ResizeMode.Linear).SelectMany(
                m => Gen.Elements(ResizeCoordinateMode.HalfPixel, ResizeCoordinateMode.AlignCorners, ResizeCoordinateMode.Asymmetric), (m, k) => (m, k)),
            (s, t) => (s, t.m, t.k));
        Check(gen, c =>
        {
            var b = new ModelBuilder();
            b.Output(b.Resize(b.Input("x", DataType.Float32, c.Shape), c.Shape, c.Mode, c.Coord));
            float[] x = Iota(c.Shape).Select(v => (v * 0.37f) - 1.5f).ToArray();
            return Run.Float(b, x).SequenceEqual(x);
        });
    }
}

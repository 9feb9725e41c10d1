using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>Quantize (fp32 to int8) and Dequantize (int8 / int32 to fp32, per tensor and per axis).</summary>
public class QuantizationTests
{
    [Fact]
    public void Quantize_rounds_half_to_even_and_saturates()
    {
        // s 0.5, z -3: x/s = 0 -> -3; 0.5 -> 0 (even) -> -3; 1.5 -> 2 -> -1; -0.5 -> -0 -> -3; 2.5 -> 2 -> -1;
        // 200 -> 197 -> 127; -200 -> -203 -> -128; NaN -> the zero point -3; -62.5 -> -125 -> -128
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [9]);
        m.Output(m.Quantize(x, QuantizationInfo.PerTensor(0.5f, -3)));
        using InferenceSession s = m.BuildSession();
        new[] { 0f, 0.25f, 0.75f, -0.25f, 1.25f, 100f, -100f, float.NaN, -62.5f }.CopyTo(s.Input<float>(0));
        s.Run();
        Tolerance.Equal([-3, -3, -1, -3, -1, 127, -128, -3, -128], s.Output<sbyte>(0), "quantize");
        AllocationAssert.NoAllocations(s.Run, 100, "quantize");
    }

    [Fact]
    public void Dequantize_int8_per_tensor()
    {
        // (q - z) * s with s 0.5, z -3: -128 -> -62.5; -3 -> 0; 0 -> 1.5; 127 -> 65
        var m = new ModelBuilder();
        TensorRef q = m.Input("q", DataType.Int8, [2, 2], QuantizationInfo.PerTensor(0.5f, -3));
        m.Output(m.Dequantize(q));
        using InferenceSession s = m.BuildSession();
        new sbyte[] { -128, -3, 0, 127 }.CopyTo(s.Input<sbyte>(0));
        s.Run();
        Tolerance.AllClose([-62.5f, 0, 1.5f, 65], s.Output<float>(0), "dequantize s8");
        AllocationAssert.NoAllocations(s.Run, 100, "dequantize");
    }

    [Fact]
    public void Dequantize_int8_per_axis_on_last_and_first_axis()
    {
        // [2,3] axis 1: scales [1, 0.5, 0.25], zero points [0, 1, -1]:
        // row [4, 5, 7] -> [4, 2, 2]; row [-4, 1, -1] -> [-4, 0, 0]
        var m = new ModelBuilder();
        TensorRef q = m.Input("q", DataType.Int8, [2, 3], new QuantizationInfo([1f, 0.5f, 0.25f], [0, 1, -1], 1));
        m.Output(m.Dequantize(q));
        Tolerance.AllClose([4, 2, 2, -4, 0, 0], RunInt8ToFloat(m, [4, 5, 7, -4, 1, -1]), "dequantize axis 1");

        // a constant [2,3] axis 0: scales [0.5, 2]: row 0 halves, row 1 doubles; added to an input to give the graph one.
        var m2 = new ModelBuilder();
        TensorRef x = m2.Input("x", DataType.Float32, [2, 3]);
        TensorRef w = m2.Constant("w", new sbyte[] { 2, 4, -6, 1, -1, 3 }, [2, 3], QuantizationInfo.PerAxis([0.5f, 2f], 0));
        m2.Output(m2.Add(x, m2.Dequantize(w)));
        Tolerance.AllClose([1, 2, -3, 2, -2, 6], Run.Float(m2, new float[6]), "dequantize axis 0");
    }

    [Fact]
    public void Dequantize_int32_bias()
    {
        // s 0.001, z 0: 1000 -> 1; -2500 -> -2.5; int.MaxValue -> 2147483.647 (fp32 nearest); int.MinValue -> -2147483.648
        var m = new ModelBuilder();
        TensorRef q = m.Input("bias", DataType.Int32, [4], QuantizationInfo.PerTensor(0.001f, 0));
        m.Output(m.Dequantize(q));
        using InferenceSession s = m.BuildSession();
        new[] { 1000, -2500, int.MaxValue, int.MinValue }.CopyTo(s.Input<int>(0));
        s.Run();
        Tolerance.AllClose([1f, -2.5f, 2147483.647f, -2147483.648f], s.Output<float>(0), "dequantize s32", rtol: 1e-6f);
    }

    [Fact]
    public void Invalid_quantize_and_dequantize_are_rejected()
    {
        var m = new ModelBuilder();
        TensorRef f = m.Input("f", DataType.Float32, [3]);
        TensorRef q = m.Input("q", DataType.Int8, [3], QuantizationInfo.PerTensor(0.1f, 0));
        TensorRef raw = m.Input("raw", DataType.Int8, [3]);
        Assert.Throws<OpValidationException>(() => m.Node(OpCode.Quantize, [f]));                                  // no output quantization
        Assert.Throws<OpValidationException>(() => m.Quantize(q, QuantizationInfo.PerTensor(0.1f, 0)));          // int8 input
        Assert.Throws<OpValidationException>(() => m.Dequantize(f));                                              // fp32 input
        Assert.Throws<OpValidationException>(() => m.Dequantize(raw));                                            // no quantization
        Assert.Throws<OpValidationException>(() => m.Dequantize(m.Input("i", DataType.Int32, [3])));              // int32 unquantized

        // A per-axis int8 output is refused when the model is verified (int8 activations are per-tensor).
        var perAxis = new ModelBuilder();
        TensorRef x = perAxis.Input("x", DataType.Float32, [2]);
        perAxis.Output(perAxis.Quantize(x, QuantizationInfo.PerAxis([0.1f, 0.2f], 0)));
        Assert.Throws<EcnnFormatException>(perAxis.BuildSession);
    }

    [Fact]
    public void Quantize_then_dequantize_errs_by_at_most_half_a_step()
    {
        Gen<(float Scale, int Zero, float[] Values)> gen =
            from scaleSteps in Gen.Choose(1, 2000)
            from zero in Gen.Choose(-128, 127)
            from fractions in Gen.Choose(0, 1_000_000).ArrayOf(16)
            let scale = scaleSteps * 0.001f
            select (scale, zero, fractions.Select(f => scale * ((-128 - zero) + (255 * (f / 1_000_000f)))).ToArray());
        Prop.ForAll(Arb.From(gen), c =>
        {
            var m = new ModelBuilder();
            TensorRef x = m.Input("x", DataType.Float32, [c.Values.Length]);
            m.Output(m.Dequantize(m.Quantize(x, QuantizationInfo.PerTensor(c.Scale, c.Zero))));
            float[] y = Run.Float(m, c.Values);
            for (int i = 0; i < y.Length; i++)
            {
                float err = MathF.Abs(y[i] - c.Values[i]);
                Assert.True(err <= (c.Scale * 0.5f * 1.0001f) + 1e-6f,
                    $"x {c.Values[i]} scale {c.Scale} zero {c.Zero}: round trip {y[i]}, error {err}");
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    private static float[] RunInt8ToFloat(ModelBuilder m, sbyte[] input)
    {
        using InferenceSession s = m.BuildSession();
        input.CopyTo(s.Input<sbyte>(0));
        s.Run();
        return s.Output<float>(0).ToArray();
    }
}

using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Runtime.Graph;
using static EdgeCnn.Converter.Tests.Conversion.OnnxOpTestModel;

namespace EdgeCnn.Converter.Tests.Conversion;

public class ConvolutionConversionTests
{
    private static float[] Run(ConversionResult r, params float[][] inputs)
    {
        using InferenceSession s = InferenceSession.Load(r.Ecnn);
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].CopyTo(s.Input<float>(i));
        }

        s.Run();
        return s.Output<float>(0).ToArray();
    }

    private static void Close(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + (1e-4 * Math.Abs(expected[i])), $"element {i}: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Grouped_strided_padded_conv_then_relu_then_conv_matches_nchw_and_needs_only_two_transposes()
    {
        float[] x = NaiveNchw.Values(1 * 4 * 5 * 6, 1), w1 = NaiveNchw.Values(6 * 2 * 3 * 3, 2), b1 = NaiveNchw.Values(6, 3);
        float[] w2 = NaiveNchw.Values(3 * 6 * 1 * 1, 4);
        var model = new OnnxOpTestModel(13)
            .Input("x", 1, 4, 5, 6).Output("y")
            .Floats("w1", w1, 6, 2, 3, 3).Floats("b1", b1, 6).Floats("w2", w2, 3, 6, 1, 1)
            .Node("Conv", ["x", "w1", "b1"], ["c1"], Ints("pads", 1, 0, 1, 1), Ints("strides", 2, 2), Int("group", 2))
            .Node("Relu", ["c1"], ["r1"])
            .Node("Conv", ["r1", "w2"], ["y"])
            .Build();
        ConversionResult r = OnnxConverter.Convert(model);
        float[] c1 = NaiveNchw.Conv2D(x, 1, 4, 5, 6, w1, 6, 3, 3, b1, 2, [1, 0, 1, 1], 2, out int oh, out int ow);
        float[] r1 = c1.Select(v => Math.Max(v, 0f)).ToArray();
        float[] y = NaiveNchw.Conv2D(r1, 1, 6, oh, ow, w2, 3, 1, 1, null, 1, [0, 0, 0, 0], 1, out _, out _);
        Close(y, Run(r, x));
        Assert.Equal(2, r.LayoutTransposes); // into channels-last once, back for the output once
    }

    [Fact]
    public void Conv_auto_pad_same_upper_and_a_channel_bias_add_stay_channels_last()
    {
        float[] x = NaiveNchw.Values(1 * 2 * 4 * 4, 5), w = NaiveNchw.Values(3 * 2 * 2 * 2, 6);
        float[] shift = [0.5f, -1f, 2f];
        var model = new OnnxOpTestModel(13)
            .Input("x", 1, 2, 4, 4).Output("y")
            .Floats("w", w, 3, 2, 2, 2).Floats("shift", shift, 3, 1, 1)
            .Node("Conv", ["x", "w"], ["c"], String("auto_pad", "SAME_UPPER"))
            .Node("Add", ["c", "shift"], ["y"])
            .Build();
        ConversionResult r = OnnxConverter.Convert(model);
        // SAME_UPPER with k = 2, stride 1: total pad 1, at the end (bottom/right).
        float[] c = NaiveNchw.Conv2D(x, 1, 2, 4, 4, w, 3, 2, 2, null, 1, [0, 0, 1, 1], 1, out int oh, out int ow);
        float[] expected = c.Select((v, i) => v + shift[i / (oh * ow)]).ToArray();
        Close(expected, Run(r, x));
        Assert.Equal(2, r.LayoutTransposes);
    }

    [Fact]
    public void Gemm_with_transposes_alpha_beta_and_vector_bias()
    {
        float[] a = NaiveNchw.Values(3 * 4, 1), b = NaiveNchw.Values(5 * 4, 2), c = NaiveNchw.Values(5, 3);
        var model = new OnnxOpTestModel(11)
            .Input("a", 4, 3).Output("y")
            .Floats("b", b, 5, 4).Floats("c", c, 5)
            .Node("Gemm", ["a", "b", "c"], ["y"], Int("transA", 1), Int("transB", 1), Float("alpha", 0.5f), Float("beta", 2f))
            .Build();
        // y[m, n] = 0.5 * sum_k a[k, m] * b[n, k] + 2 * c[n]   (A is [K=4, M=3] and transposed)
        var expected = new float[3 * 5];
        for (int m = 0; m < 3; m++)
        {
            for (int n = 0; n < 5; n++)
            {
                double acc = 0;
                for (int k = 0; k < 4; k++)
                {
                    acc += a[(k * 3) + m] * b[(n * 4) + k];
                }

                expected[(m * 5) + n] = (float)((0.5 * acc) + (2 * c[n]));
            }
        }

        Close(expected, Run(OnnxConverter.Convert(model), a));
    }

    [Fact]
    public void Gemm_with_a_matrix_bias_adds_it_after_the_dense_layer()
    {
        float[] a = NaiveNchw.Values(2 * 3, 7), b = NaiveNchw.Values(3 * 2, 8), c = NaiveNchw.Values(2 * 2, 9);
        var model = new OnnxOpTestModel(13)
            .Input("a", 2, 3).Output("y")
            .Floats("b", b, 3, 2).Floats("c", c, 2, 2)
            .Node("Gemm", ["a", "b", "c"], ["y"])
            .Build();
        var expected = new float[4];
        for (int m = 0; m < 2; m++)
        {
            for (int n = 0; n < 2; n++)
            {
                expected[(m * 2) + n] = c[(m * 2) + n] + Enumerable.Range(0, 3).Sum(k => a[(m * 3) + k] * b[(k * 2) + n]);
            }
        }

        Close(expected, Run(OnnxConverter.Convert(model), a));
    }

    [Fact]
    public void ConvTranspose_with_groups_matches_the_scatter_definition()
    {
        // x [1, 4, 2, 2], W [C_in 4, C_out/g 1, 2, 2], group 2, stride 2: y[oc, i*2 + ky, j*2 + kx] += x[ic, i, j] * W[ic, oc', ky, kx]
        float[] x = NaiveNchw.Values(16, 1), w = NaiveNchw.Values(16, 2);
        var model = new OnnxOpTestModel(13)
            .Input("x", 1, 4, 2, 2).Output("y").Floats("w", w, 4, 1, 2, 2)
            .Node("ConvTranspose", ["x", "w"], ["y"], Ints("strides", 2, 2), Int("group", 2))
            .Build();
        var expected = new float[2 * 4 * 4];
        for (int ic = 0; ic < 4; ic++)
        {
            int g = ic / 2, oc = g; // C_out / group = 1: output channel g
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    for (int ky = 0; ky < 2; ky++)
                    {
                        for (int kx = 0; kx < 2; kx++)
                        {
                            expected[(oc * 16) + (((i * 2) + ky) * 4) + (j * 2) + kx] += x[(ic * 4) + (i * 2) + j] * w[(ic * 4) + (ky * 2) + kx];
                        }
                    }
                }
            }
        }

        Close(expected, Run(OnnxConverter.Convert(model), x));
    }

    [Fact]
    public void MatMul_with_constant_weights_is_a_dense_layer()
    {
        float[] a = NaiveNchw.Values(2 * 3, 4), b = NaiveNchw.Values(3 * 4, 5);
        var model = new OnnxOpTestModel(13).Input("a", 2, 3).Output("y").Floats("b", b, 3, 4).Node("MatMul", ["a", "b"], ["y"]).Build();
        float[] expected = Enumerable.Range(0, 8).Select(i => Enumerable.Range(0, 3).Sum(k => a[((i / 4) * 3) + k] * b[(k * 4) + (i % 4)])).ToArray();
        Close(expected, Run(OnnxConverter.Convert(model), a));
    }

    [Fact]
    public void Weights_fed_as_graph_inputs_are_named_and_can_be_bound()
    {
        var model = new OnnxOpTestModel(13).Input("x", 1, 1, 3, 3).Input("w", 1, 1, 1, 1).Output("y").Node("Conv", ["x", "w"], ["y"]).Build();
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(model));
        Assert.Equal("w", e.ConstantRequired);
        Assert.Contains("Conv", e.Message, StringComparison.Ordinal);
        var bound = new Dictionary<string, ConstTensor>(StringComparer.Ordinal) { ["w"] = ConstTensor.FromFloats([3f], [1, 1, 1, 1]) };
        float[] x = NaiveNchw.Values(9, 1);
        Close(x.Select(v => v * 3f).ToArray(), Run(OnnxConverter.Convert(model, new ConversionOptions { FixedInputs = bound }), x));
    }
}

using EdgeCnn.Converter.Quantization;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Converter.Tests.Quantization;

/// <summary>
/// The quantized model as the runtime runs it, checked node by node against the int8 spec written out here (TFLite's
/// arithmetic, OPERATORS.md): every int8 Conv and Dense output byte is recomputed from the node's own int8 input, weights,
/// bias and quantization and must match exactly, whatever kernel the runtime chose.
/// </summary>
public class Int8SpecTests
{
    [Fact]
    public void Conv_and_dense_outputs_are_the_tflite_int8_spec_bit_for_bit()
    {
        Int8Result r = Int8Conversion.Convert(QuantTestModels.SmallCnn(), QuantTestModels.Samples(16, 192), new Int8Options { Threads = 1, MeasureSamples = 2 });
        using InferenceSession s = InferenceSession.Load(r.Ecnn);
        var rng = new Random(11);
        for (int sample = 0; sample < 4; sample++)
        {
            QuantTestModels.Random(rng, 192, 1.5f).CopyTo(s.Input<float>(0)); // beyond the calibrated range too: saturation
            var check = new SpecObserver(s);
            s.Run(ref check);
            Assert.True(check.Checked >= 3, $"only {check.Checked} int8 conv/dense nodes checked");
        }
    }

    private struct SpecObserver : IRunObserver
    {
        private readonly InferenceSession _s;
        private byte[]?[] _inputs;

        public SpecObserver(InferenceSession s)
        {
            _s = s;
            _inputs = [];
            Checked = 0;
        }

        public int Checked { get; private set; }

        public void NodeStarting(int node)
        {
            NodeDesc n = _s.Model.Nodes[node];
            InferenceSession s = _s;
            _inputs = n.Inputs.Select(i => i >= 0 ? s.TensorBytes(i).ToArray() : null).ToArray(); // before an in-place kernel overwrites them
        }

        public void NodeFinished(int node)
        {
            NodeDesc n = _s.Model.Nodes[node];
            if (n.Op is not (OpCode.Conv or OpCode.Dense) || _s.Model.Tensors[n.Outputs[0]].Type != DataType.Int8)
            {
                return;
            }

            sbyte[] expected = n.Op == OpCode.Conv ? Conv(n) : Dense(n);
            ReadOnlySpan<byte> actual = _s.TensorBytes(n.Outputs[0]);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True((sbyte)actual[i] == expected[i], $"{n.Name} ({n.Op}) element {i}: runtime {(sbyte)actual[i]}, spec {expected[i]}");
            }

            Checked++;
        }

        private (TensorDesc X, TensorDesc W, TensorDesc Y, sbyte[] x, sbyte[] w, int[] b) Operands(NodeDesc n)
        {
            TensorDesc x = _s.Model.Tensors[n.Inputs[0]], w = _s.Model.Tensors[n.Inputs[1]], y = _s.Model.Tensors[n.Outputs[0]];
            int outC = w.Shape[0];
            int[] bias = n.Inputs.Length > 2 && n.Inputs[2] >= 0
                ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(_inputs[2]).ToArray()
                : new int[outC];
            return (x, w, y, Array.ConvertAll(_inputs[0]!, v => (sbyte)v), Array.ConvertAll(_inputs[1]!, v => (sbyte)v), bias);
        }

        private static sbyte Requantize(long acc, TensorDesc x, TensorDesc w, TensorDesc y, int o, NodeDesc n)
        {
            QuantizationInfo qy = y.Quantization!;
            float sw = w.Quantization!.Scales[w.Quantization.IsPerTensor ? 0 : o];
            (int m, int shift) = FixedPoint.QuantizeMultiplier((double)x.Quantization!.Scale * sw / qy.Scale);
            int lo = -128, hi = 127;
            switch ((FusedActivation)(n.Find(AttributeKey.Activation)?.Ints[0] ?? 0))
            {
                case FusedActivation.Relu:
                    lo = QuantMath.QuantizeToInt8(0f, qy.Scale, qy.ZeroPoint);
                    break;
                case FusedActivation.Relu6:
                    (lo, hi) = QuantMath.ClampRange(0f, 6f, qy.Scale, qy.ZeroPoint);
                    break;
            }

            // One rounding, half up, of acc * m * 2^(shift-31) (TFLite's single rounding), exactly in 128 bits.
            long v = qy.ZeroPoint + (long)((((Int128)acc * m) + (Int128.One << (30 - shift))) >> (31 - shift));
            return (sbyte)Math.Clamp(v, lo, hi);
        }

        private sbyte[] Conv(NodeDesc n)
        {
            (TensorDesc X, TensorDesc W, TensorDesc Y, sbyte[] x, sbyte[] w, int[] b) = Operands(n);
            Assert.Equal(PadMode.Explicit, (PadMode)(n.Find(AttributeKey.PadMode)?.Ints[0] ?? 0));
            int[] strides = n.Find(AttributeKey.Strides)?.Ints ?? [1, 1], dil = n.Find(AttributeKey.Dilations)?.Ints ?? [1, 1];
            int[] pads = n.Find(AttributeKey.Pads)?.Ints ?? [0, 0, 0, 0];
            int group = n.Find(AttributeKey.Group)?.Ints[0] ?? 1;
            int inH = X.Shape[1], inW = X.Shape[2], inC = X.Shape[3], outH = Y.Shape[1], outW = Y.Shape[2], outC = Y.Shape[3];
            int kH = W.Shape[1], kW = W.Shape[2], cPerG = W.Shape[3], oPerG = outC / group;
            int zx = X.Quantization!.ZeroPoint;
            var y = new sbyte[Y.ElementCount];
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    for (int o = 0; o < outC; o++)
                    {
                        long acc = b[o];
                        int g = o / oPerG;
                        for (int ky = 0; ky < kH; ky++)
                        {
                            for (int kx = 0; kx < kW; kx++)
                            {
                                int iy = (oy * strides[0]) - pads[0] + (ky * dil[0]), ix = (ox * strides[1]) - pads[1] + (kx * dil[1]);
                                if (iy < 0 || iy >= inH || ix < 0 || ix >= inW)
                                {
                                    continue; // padding reads as the zero point: contributes 0
                                }

                                for (int c = 0; c < cPerG; c++)
                                {
                                    acc += (long)(x[(((iy * inW) + ix) * inC) + (g * cPerG) + c] - zx) * w[(((((o * kH) + ky) * kW) + kx) * cPerG) + c];
                                }
                            }
                        }

                        y[(((oy * outW) + ox) * outC) + o] = Requantize(acc, X, W, Y, o, n);
                    }
                }
            }

            return y;
        }

        private sbyte[] Dense(NodeDesc n)
        {
            (TensorDesc X, TensorDesc W, TensorDesc Y, sbyte[] x, sbyte[] w, int[] b) = Operands(n);
            int k = W.Shape[1], outC = W.Shape[0], rows = x.Length / k, zx = X.Quantization!.ZeroPoint;
            var y = new sbyte[rows * outC];
            for (int r = 0; r < rows; r++)
            {
                for (int o = 0; o < outC; o++)
                {
                    long acc = b[o];
                    for (int i = 0; i < k; i++)
                    {
                        acc += (long)(x[(r * k) + i] - zx) * w[(o * k) + i];
                    }

                    y[(r * outC) + o] = Requantize(acc, X, W, Y, o, n);
                }
            }

            return y;
        }
    }
}

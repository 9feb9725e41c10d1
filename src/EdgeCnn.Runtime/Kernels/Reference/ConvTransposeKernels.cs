namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference transposed convolution (the gradient of Conv with respect to its input), channels-last, 1D/2D/3D, groups.
/// Weights [OutC][KD][KH][KW][InC / Group], the same meaning as Conv weights: an input pixel at i contributes
///   y[o, i * stride - padBegin + k * dilation] += x[i, g * InC/Group + c] * w[o, k, c]
/// Computed in gather form: each output sums the (input, tap) pairs that land on it, so every output is written once.
/// ConvGeometry's In*/Out* are this op's input and output; PadD/H/W are the begin pads. One loop nest serves fp32 and
/// int8 through the accumulator struct, as in ConvKernels.
/// </summary>
public static class ConvTransposeKernels
{
    public static void Float32(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvGeometry g,
        FusedActivationSpec activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        Convolve(x, w, bias, y, g, new ConvAccumulatorF32(activation));
    }

    /// <summary>
    /// int8 as Conv: acc = bias[o] + sum (x - z_x) * w, y = clamp(z_y + acc * M_o). Each output sums at most
    /// KD * KH * KW * InC / Group products of magnitude &lt;= 32640: the same 65536-term bound as Conv applies.
    /// </summary>
    public static void Int8(ReadOnlySpan<sbyte> x, ReadOnlySpan<sbyte> w, ReadOnlySpan<int> bias, Span<sbyte> y, ConvGeometry g,
        Int8Requant requant)
    {
        ArgumentNullException.ThrowIfNull(requant);
        Convolve(x, w, bias, y, g, new ConvAccumulatorS8(requant));
    }

    private static void Convolve<TX, TW, TB, TY, TAcc>(ReadOnlySpan<TX> x, ReadOnlySpan<TW> w, ReadOnlySpan<TB> bias, Span<TY> y,
        ConvGeometry g, TAcc accumulator)
        where TB : unmanaged
        where TAcc : struct, IConvAccumulator<TX, TW, TB, TY>
    {
        ArgumentNullException.ThrowIfNull(g);
        int cg = g.GroupInC, og = g.GroupOutC, perOutput = g.WeightsPerOutput;
        int yi = 0;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int od = 0; od < g.OutD; od++)
            {
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    for (int ow = 0; ow < g.OutW; ow++)
                    {
                        for (int o = 0; o < g.OutC; o++, yi++)
                        {
                            TAcc acc = accumulator;
                            acc.Begin(bias.IsEmpty ? default : bias[o]);
                            int c0 = o / og * cg;
                            for (int kd = 0; kd < g.KD; kd++)
                            {
                                int id = Source(od, kd, g.PadD, g.DilationD, g.StrideD, g.InD);
                                if (id < 0)
                                {
                                    continue;
                                }

                                for (int kh = 0; kh < g.KH; kh++)
                                {
                                    int ih = Source(oh, kh, g.PadH, g.DilationH, g.StrideH, g.InH);
                                    if (ih < 0)
                                    {
                                        continue;
                                    }

                                    for (int kw = 0; kw < g.KW; kw++)
                                    {
                                        int iw = Source(ow, kw, g.PadW, g.DilationW, g.StrideW, g.InW);
                                        if (iw < 0)
                                        {
                                            continue;
                                        }

                                        int xb = ((((((n * g.InD) + id) * g.InH) + ih) * g.InW) + iw) * g.InC + c0;
                                        int wb = (o * perOutput) + (((((kd * g.KH) + kh) * g.KW) + kw) * cg);
                                        for (int c = 0; c < cg; c++)
                                        {
                                            acc.Add(x[xb + c], w[wb + c]);
                                        }
                                    }
                                }
                            }

                            y[yi] = acc.End(o);
                        }
                    }
                }
            }
        }
    }

    private static int Source(int output, int k, int pad, int dilation, int stride, int inSize)
    {
        int t = output + pad - (k * dilation);
        if (t < 0 || t % stride != 0)
        {
            return -1;
        }

        int i = t / stride;
        return i < inSize ? i : -1;
    }
}

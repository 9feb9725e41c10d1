namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference transposed convolution (the gradient of Conv with respect to its input), channels-last, 1D/2D/3D, groups.
/// Weights [OutC][KD][KH][KW][InC / Group], the same meaning as Conv weights: an input pixel at i contributes
///   y[o, i * stride - padBegin + k * dilation] += x[i, g * InC/Group + c] * w[o, k, c]
/// Computed in gather form: each output sums the (input, tap) pairs that land on it, so every output is written once.
/// ConvGeometry's In*/Out* are this op's input and output; PadD/H/W are the begin pads.
/// </summary>
public static class ConvTransposeKernels
{
    public static void Float32(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvGeometry g,
        FusedActivationSpec activation)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(activation);
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
                            float acc = bias.IsEmpty ? 0f : bias[o];
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
                                            acc += x[xb + c] * w[wb + c];
                                        }
                                    }
                                }
                            }

                            y[yi] = activation.Apply(acc);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// int8 as Conv: acc = bias[o] + sum (x - z_x) * w, y = clamp(z_y + acc * M_o). Each output sums at most
    /// KD * KH * KW * InC / Group products of magnitude &lt;= 32640: the same 65536-term bound as Conv applies.
    /// </summary>
    public static void Int8(ReadOnlySpan<sbyte> x, ReadOnlySpan<sbyte> w, ReadOnlySpan<int> bias, Span<sbyte> y, ConvGeometry g,
        Int8Requant requant)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(requant);
        int cg = g.GroupInC, og = g.GroupOutC, perOutput = g.WeightsPerOutput;
        int zx = requant.InputZeroPoint;
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
                            int acc = bias.IsEmpty ? 0 : bias[o];
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
                                            acc = unchecked(acc + ((x[xb + c] - zx) * w[wb + c]));
                                        }
                                    }
                                }
                            }

                            y[yi] = requant.Output(acc, o);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The input index i with i * stride - pad + k * dilation == out, or -1 when there is none in range.</summary>
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

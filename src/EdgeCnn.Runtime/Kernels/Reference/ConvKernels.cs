namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference direct convolution over channels-last tensors, for 1D/2D/3D (missing axes have size 1), groups (depthwise is
/// Group == InC) and untied weight sets (TiledConv2D; LocallyConnected2D is the tile the size of the output; a plain
/// convolution is the 1x1x1 tile). Weights: [TileD * TileH * TileW sets][OutC][KD][KH][KW][InC / Group].
///   y[n, od, oh, ow, o] = act(bias[o] + sum_{kd, kh, kw, c} x[n, id, ih, iw, g * InC/Group + c] * w[set, o, kd, kh, kw, c])
///   with id = od * StrideD - PadD + kd * DilationD (likewise h, w), g = o / (OutC / Group); taps outside the input are 0.
/// One loop nest serves fp32 and int8; the accumulator struct is the only difference. Slow on purpose: this is the spec
/// every optimized kernel is tested against.
/// </summary>
public static class ConvKernels
{
    public static void Float32(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvGeometry g,
        FusedActivationSpec activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        Convolve(x, w, bias, y, g, new ConvAccumulatorF32(activation));
    }

    /// <summary>
    /// int8 (TFLite): acc = bias[o] + sum (x - z_x) * w, y = clamp(z_y + acc * M_o). Padding taps are skipped, which is
    /// the same as reading x = z_x. Overflow: |x - z_x| &lt;= 255 and |w| &lt;= 128, so the sum is bounded by
    /// WeightsPerOutput * 32640; shape inference rejects reduction lengths above 65536, keeping it under 2^31 - 1
    /// (65536 * 32640 = 2,139,095,040). Adding the bias may still wrap for absurd biases; like TFLite we do not guard it.
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
        int cg = g.GroupInC, og = g.GroupOutC, perOutput = g.WeightsPerOutput, perSet = g.OutC * perOutput;
        int yi = 0;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int od = 0; od < g.OutD; od++)
            {
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    for (int ow = 0; ow < g.OutW; ow++)
                    {
                        int set = TileSet(g, od, oh, ow);
                        for (int o = 0; o < g.OutC; o++, yi++)
                        {
                            TAcc acc = accumulator;
                            acc.Begin(bias.IsEmpty ? default : bias[(g.BiasPerTile ? set * g.OutC : 0) + o]);
                            int wo = (set * perSet) + (o * perOutput);
                            int c0 = o / og * cg;
                            for (int kd = 0; kd < g.KD; kd++)
                            {
                                int id = (od * g.StrideD) - g.PadD + (kd * g.DilationD);
                                if ((uint)id >= (uint)g.InD)
                                {
                                    continue;
                                }

                                for (int kh = 0; kh < g.KH; kh++)
                                {
                                    int ih = (oh * g.StrideH) - g.PadH + (kh * g.DilationH);
                                    if ((uint)ih >= (uint)g.InH)
                                    {
                                        continue;
                                    }

                                    for (int kw = 0; kw < g.KW; kw++)
                                    {
                                        int iw = (ow * g.StrideW) - g.PadW + (kw * g.DilationW);
                                        if ((uint)iw >= (uint)g.InW)
                                        {
                                            continue;
                                        }

                                        int xb = ((((((n * g.InD) + id) * g.InH) + ih) * g.InW) + iw) * g.InC + c0;
                                        int wb = wo + (((((kd * g.KH) + kh) * g.KW) + kw) * cg);
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

    private static int TileSet(ConvGeometry g, int od, int oh, int ow) =>
        ((((od % g.TileD) * g.TileH) + (oh % g.TileH)) * g.TileW) + (ow % g.TileW);
}

using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// Pad, Resize and Upsample (rows added by AddShape). All three are generic over the rank in the runtime, so they run
/// channels-last (with pads, sizes and scales permuted) when the input already is, else in ONNX layout.
/// </summary>
internal static partial class OnnxOpTable
{
    private static void AddPadResize(List<Entry> ops)
    {
        ops.Add(new Entry(new OnnxOpSupport("Pad", MinOpset, MaxOpset, "Pad (constant, reflect, edge)"), ConvertPad));
        ops.Add(new Entry(new OnnxOpSupport("Resize", 10, MaxOpset, "Resize (nearest, linear)"), ConvertResize));
        ops.Add(new Entry(new OnnxOpSupport("Upsample", MinOpset, 9, "Resize (asymmetric nearest, linear)"), ConvertUpsample));
    }

    private static void ConvertPad(ConversionContext ctx, OnnxNode node)
    {
        string input = node.RequiredInput(0);
        int rank = ctx.OnnxShape(node, input).Length;
        long[] pads;
        float value = 0f;
        if (node.Opset < 11)
        {
            node.OnlyAttributes("mode", "pads", "value");
            pads = node.Ints("pads") ?? throw node.Malformed("attribute 'pads' is required");
            value = node.Float("value", 0f);
        }
        else
        {
            node.OnlyAttributes("mode");
            pads = ctx.Const(node, node.RequiredInput(1)).AsLongs();
            if (node.Input(2) is { } constant && ctx.Const(node, constant) is { Count: > 0 } c)
            {
                value = c.AsFloats()[0];
            }

            if (node.Opset >= 18 && node.Input(3) is { } axesName)
            {
                pads = FullPads(node, pads, ctx.Const(node, axesName).AsLongs(), rank);
            }
        }

        if (pads.Length != 2 * rank)
        {
            throw node.Malformed($"pads has {pads.Length} values; 2 * rank = {2 * rank} expected (begins, then ends)");
        }

        string modeName = node.String("mode", "constant");
        PadFill mode = modeName switch
        {
            "constant" => PadFill.Constant,
            "reflect" => PadFill.Reflect,
            "edge" => PadFill.Edge,
            "wrap" => throw node.Unsupported("mode 'wrap' is not supported; constant, reflect and edge are"),
            _ => throw node.Malformed($"mode '{modeName}'; constant, reflect, edge or wrap expected"),
        };
        int[] runtimePads = Array.ConvertAll(pads, p => p is < int.MinValue or > int.MaxValue ? throw node.Unsupported($"pad {p} is out of range") : (int)p);
        bool channelsLast = ctx.PrefersChannelsLast(input);
        TensorRef x;
        if (channelsLast)
        {
            int[] perm = Layout.ToChannelsLast(rank);
            runtimePads = [.. Layout.Permute(runtimePads[..rank], perm), .. Layout.Permute(runtimePads[rank..], perm)];
            x = ctx.ChannelsLast(node, input);
        }
        else
        {
            x = ctx.Onnx(node, input);
        }

        var attributes = new List<NodeAttribute> { NodeAttribute.IntList(AttributeKey.Pads, runtimePads), NodeAttribute.Int(AttributeKey.Mode, (int)mode) };
        if (mode == PadFill.Constant)
        {
            attributes.Add(NodeAttribute.Float(AttributeKey.Value, value));
        }

        ctx.SetSameLayoutAs(node.Outputs[0], ctx.Emit(OpCode.Pad, [x], [.. attributes], node.Name), channelsLast);
    }

    /// <summary>Pad-18's axes: pads lists begins then ends of the given axes only; the others get 0.</summary>
    private static long[] FullPads(OnnxNode node, long[] pads, long[] axes, int rank)
    {
        if (pads.Length != 2 * axes.Length)
        {
            throw node.Malformed($"pads has {pads.Length} values for {axes.Length} axes; {2 * axes.Length} expected");
        }

        var full = new long[2 * rank];
        for (int i = 0; i < axes.Length; i++)
        {
            int a = ShapeOpMath.Axis(node, axes[i], rank, "axis");
            full[a] = pads[i];
            full[rank + a] = pads[axes.Length + i];
        }

        return full;
    }

    private static void ConvertResize(ConversionContext ctx, OnnxNode node)
    {
        string input = node.RequiredInput(0);
        int[] inShape = ctx.OnnxShape(node, input);
        ResizeMode mode = ResizeModeOf(node);
        if (node.Opset < 11)
        {
            node.OnlyAttributes("mode");
            float[] scales10 = ctx.Const(node, node.RequiredInput(1)).AsFloats();
            EmitResize(ctx, node, input, mode, ResizeCoordinateMode.Asymmetric, LegacyNearestMode(node, mode, scales10), scales10, null);
            return;
        }

        var known = new List<string> { "mode", "coordinate_transformation_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "nearest_mode" };
        if (node.Opset >= 18)
        {
            known.AddRange(["antialias", "axes", "keep_aspect_ratio_policy"]);
        }

        node.OnlyAttributes([.. known]);
        if (node.Int("exclude_outside", 0) != 0)
        {
            throw node.Unsupported("exclude_outside = 1 is not supported");
        }

        if (node.Int("antialias", 0) != 0)
        {
            throw node.Unsupported("antialias = 1 is not supported");
        }

        string policy = node.String("keep_aspect_ratio_policy", "stretch");
        if (!string.Equals(policy, "stretch", StringComparison.Ordinal))
        {
            throw node.Unsupported($"keep_aspect_ratio_policy '{policy}' is not supported; only stretch");
        }

        string coordinateName = node.String("coordinate_transformation_mode", "half_pixel");
        ResizeCoordinateMode coordinates = coordinateName switch
        {
            "half_pixel" => ResizeCoordinateMode.HalfPixel,
            "asymmetric" => ResizeCoordinateMode.Asymmetric,
            "align_corners" => ResizeCoordinateMode.AlignCorners,
            "pytorch_half_pixel" => ResizeCoordinateMode.PytorchHalfPixel,
            "tf_crop_and_resize" or "half_pixel_symmetric" or "tf_half_pixel_for_nn" => throw node.Unsupported(
                $"coordinate_transformation_mode '{coordinateName}' is not supported; half_pixel, asymmetric, align_corners and pytorch_half_pixel are"),
            _ => throw node.Malformed($"coordinate_transformation_mode '{coordinateName}' is not an ONNX mode"),
        };
        string nearestName = node.String("nearest_mode", "round_prefer_floor");
        ResizeNearestMode nearest = nearestName switch
        {
            "round_prefer_floor" => ResizeNearestMode.RoundPreferFloor,
            "round_prefer_ceil" => ResizeNearestMode.RoundPreferCeil,
            "floor" => ResizeNearestMode.Floor,
            "ceil" => ResizeNearestMode.Ceil,
            _ => throw node.Malformed($"nearest_mode '{nearestName}' is not an ONNX mode"),
        };

        int[]? axes = ResizeAxes(node, inShape.Length);
        ConstTensor? scales = node.Input(2) is { } s ? ctx.Const(node, s) : null;
        ConstTensor? sizes = node.Input(3) is { } z ? ctx.Const(node, z) : null;
        bool hasScales = scales is { Count: > 0 };
        bool hasSizes = sizes is { Count: > 0 };
        if (hasScales == hasSizes)
        {
            throw node.Malformed("exactly one of 'scales' and 'sizes' must be given");
        }

        if (hasScales)
        {
            float[] perAxis = InAxisOrder(node, scales!.AsFloats(), axes, inShape.Length, 1f, "scales");
            EmitResize(ctx, node, input, mode, coordinates, nearest, perAxis, null);
        }
        else
        {
            long[] perAxis = InAxisOrder(node, sizes!.AsLongs(), axes, inShape.Length, 0L, "sizes");
            EmitResize(ctx, node, input, mode, coordinates, nearest, null, Array.ConvertAll(perAxis, v => v is >= 1 and <= int.MaxValue
                ? (int)v : throw node.Unsupported($"output size {v} is out of range")));
        }
    }

    private static void ConvertUpsample(ConversionContext ctx, OnnxNode node)
    {
        string input = node.RequiredInput(0);
        float[] scales;
        if (node.Opset < 9)
        {
            node.OnlyAttributes("mode", "scales");
            scales = node.Floats("scales") ?? throw node.Malformed("attribute 'scales' is required");
        }
        else
        {
            node.OnlyAttributes("mode");
            scales = ctx.Const(node, node.RequiredInput(1)).AsFloats();
        }

        ResizeMode mode = ResizeModeOf(node);
        EmitResize(ctx, node, input, mode, ResizeCoordinateMode.Asymmetric, LegacyNearestMode(node, mode, scales), scales, null);
    }

    private static ResizeMode ResizeModeOf(OnnxNode node)
    {
        string mode = node.String("mode", "nearest");
        return mode switch
        {
            "nearest" => ResizeMode.Nearest,
            "linear" or "bilinear" => ResizeMode.Linear,
            "cubic" => throw node.Unsupported("mode 'cubic' is not supported; nearest and linear are"),
            _ => throw node.Malformed($"mode '{mode}' is not an ONNX mode"),
        };
    }

    /// <summary>
    /// Upsample and Resize-10 have no nearest_mode: onnxruntime truncates when enlarging and rounds up when shrinking
    /// (exact either way on axes of scale 1, whose coordinates are integers).
    /// </summary>
    private static ResizeNearestMode LegacyNearestMode(OnnxNode node, ResizeMode mode, float[] scales)
    {
        if (mode != ResizeMode.Nearest)
        {
            return ResizeNearestMode.Floor;
        }

        bool up = scales.Any(s => s > 1f);
        bool down = scales.Any(s => s < 1f);
        if (up && down)
        {
            throw node.Unsupported("nearest resizing that enlarges some axes and shrinks others is not supported before opset 11");
        }

        return down ? ResizeNearestMode.Ceil : ResizeNearestMode.Floor;
    }

    private static int[]? ResizeAxes(OnnxNode node, int rank)
    {
        if (node.Ints("axes") is not { } axes)
        {
            return null;
        }

        int[] result = axes.Select(a => ShapeOpMath.Axis(node, a, rank, "axis")).ToArray();
        if (result.Length != rank || result.Distinct().Count() != rank)
        {
            throw node.Unsupported($"axes [{string.Join(',', axes)}] must list every one of the {rank} axes");
        }

        return result;
    }

    private static T[] InAxisOrder<T>(OnnxNode node, T[] values, int[]? axes, int rank, T fill, string what)
    {
        if (values.Length != rank)
        {
            throw node.Malformed($"'{what}' has {values.Length} values; the input has rank {rank}");
        }

        if (axes is null)
        {
            return values;
        }

        var result = Enumerable.Repeat(fill, rank).ToArray();
        for (int i = 0; i < axes.Length; i++)
        {
            result[axes[i]] = values[i];
        }

        return result;
    }

    /// <summary>Emits a runtime Resize from per-axis scales (sizes = floor(in * scale), ONNX) or sizes.</summary>
    private static void EmitResize(ConversionContext ctx, OnnxNode node, string input, ResizeMode mode, ResizeCoordinateMode coordinates,
        ResizeNearestMode nearest, float[]? scales, int[]? sizes)
    {
        int[] inShape = ctx.OnnxShape(node, input);
        int rank = inShape.Length;
        if (scales is not null)
        {
            if (scales.Length != rank)
            {
                throw node.Malformed($"scales has {scales.Length} values; the input has rank {rank}");
            }

            sizes = new int[rank];
            for (int d = 0; d < rank; d++)
            {
                double size = Math.Floor(inShape[d] * (double)scales[d]);
                if (!(scales[d] > 0f) || size < 1 || size > int.MaxValue)
                {
                    throw node.Unsupported($"scale {scales[d]} on axis {d} (size {inShape[d]}) gives output size {size}; sizes >= 1 are supported");
                }

                sizes[d] = (int)size;
            }

            if (coordinates == ResizeCoordinateMode.AlignCorners)
            {
                // With scales, ONNX's align_corners uses the unrounded output length n * scale: c = x (n - 1) / (n * scale - 1),
                // which is the asymmetric transform with scale (n * scale - 1) / (n - 1). (An axis with n = 1, or an output
                // length <= 1, only ever maps to coordinate 0.)
                scales = scales.Select((s, d) => inShape[d] > 1 && inShape[d] * (double)s > 1
                    ? (float)((inShape[d] * (double)s - 1) / (inShape[d] - 1)) : 1f).ToArray();
                coordinates = ResizeCoordinateMode.Asymmetric;
            }
        }

        bool channelsLast = ctx.PrefersChannelsLast(input);
        TensorRef x;
        if (channelsLast)
        {
            int[] perm = Layout.ToChannelsLast(rank);
            sizes = Layout.Permute(sizes!, perm);
            scales = scales is null ? null : perm.Select(p => scales[p]).ToArray();
            x = ctx.ChannelsLast(node, input);
        }
        else
        {
            x = ctx.Onnx(node, input);
        }

        var attributes = new List<NodeAttribute>
        {
            NodeAttribute.IntList(AttributeKey.Sizes, sizes!),
            NodeAttribute.Int(AttributeKey.Mode, (int)mode),
            NodeAttribute.Int(AttributeKey.CoordinateMode, (int)coordinates),
            NodeAttribute.Int(AttributeKey.NearestMode, (int)nearest),
        };
        if (scales is not null)
        {
            attributes.Add(NodeAttribute.FloatList(AttributeKey.Scales, scales));
        }

        ctx.SetSameLayoutAs(node.Outputs[0], ctx.Emit(OpCode.Resize, [x], [.. attributes], node.Name), channelsLast);
    }
}

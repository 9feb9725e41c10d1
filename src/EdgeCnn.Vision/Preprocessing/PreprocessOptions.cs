namespace EdgeCnn.Vision.Preprocessing;

/// <summary>The channel order a model wants (JSON "color": "grey" | "rgb" | "bgr").</summary>
public enum ColorOrder
{
    /// <summary>One channel; from RGB with BT.601 weights 0.299 R + 0.587 G + 0.114 B.</summary>
    Grey,

    /// <summary>Three channels R, G, B; from grey by replication.</summary>
    Rgb,

    /// <summary>Three channels B, G, R (OpenCV/Caffe models).</summary>
    Bgr,
}

/// <summary>How the (cropped) source is resampled to the model input's height x width (JSON "resize").</summary>
public enum ResizeMethod
{
    /// <summary>Half-pixel centres, edge-clamped (OpenCV INTER_LINEAR, ONNX Resize linear half_pixel, torch align_corners=False).</summary>
    Bilinear,

    /// <summary>Exact box average with fractional edge weights per axis when that axis shrinks; bilinear on an axis that grows.</summary>
    Area,

    /// <summary>Source index floor((dst + 0.5) * src / dst).</summary>
    Nearest,
}

/// <summary>What part of the source is resized (JSON "crop").</summary>
public enum CropMode
{
    /// <summary>The whole source, stretched to the input's aspect ratio.</summary>
    None,

    /// <summary>The largest centred region with the model input's aspect ratio.</summary>
    Center,
}

/// <summary>Which axis of the model input holds channels (JSON "layout").</summary>
public enum TensorLayout
{
    /// <summary>[N, C, H, W] (or [C, H, W]): planar, PyTorch/ONNX convention.</summary>
    Nchw,

    /// <summary>[N, H, W, C] (or [H, W, C]): interleaved, TensorFlow convention and EdgeCnn's activation layout.</summary>
    Nhwc,
}

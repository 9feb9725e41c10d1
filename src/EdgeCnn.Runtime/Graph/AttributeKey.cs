namespace EdgeCnn.Runtime.Graph;

/// <summary>Attribute keys as stored in the file. Numbers are part of the format: never reuse or renumber.</summary>
public enum AttributeKey : ushort
{
    Strides = 1,          // ints[r]
    Dilations = 2,        // ints[r]
    Pads = 3,             // ints[2r]: begin of each spatial axis, then end of each
    PadMode = 4,          // int: PadMode
    Group = 5,            // int
    KernelShape = 6,      // ints[r]
    CeilMode = 7,         // int 0/1
    CountIncludePad = 8,  // int 0/1
    P = 9,                // int (LpPool)
    Activation = 10,      // int: FusedActivation
    ActivationMin = 11,   // float
    ActivationMax = 12,   // float
    Alpha = 13,           // float
    Beta = 14,            // float
    Gamma = 15,           // float
    Epsilon = 16,         // float
    Axis = 17,            // int
    Axes = 18,            // ints
    Shape = 19,           // ints
    Perm = 20,            // ints
    Mode = 21,            // int: PadFill or ResizeMode
    Value = 22,           // float
    Sizes = 23,           // ints
    Scales = 24,          // floats
    CoordinateMode = 25,  // int: ResizeCoordinateMode
    NearestMode = 26,     // int: ResizeNearestMode
    OutputPadding = 27,   // ints[r]
    Tile = 28,            // ints[2]
    GroupSize = 29,       // int (Maxout)
    Min = 30,             // float
    Max = 31,             // float
}

public enum AttributeType : byte
{
    Int = 1,
    Float = 2,
    Ints = 3,
    Floats = 4,
}

/// <summary>How convolution and pooling pad: explicit pads, or computed like ONNX auto_pad.</summary>
public enum PadMode
{
    Explicit = 0,
    SameUpper = 1,
    SameLower = 2,
    Valid = 3,
}

/// <summary>Activation fused into Conv/Dense. int8 supports the clamp kinds (None, Relu, Relu6, Clip).</summary>
public enum FusedActivation
{
    None = 0,
    Relu = 1,
    Relu6 = 2,
    Clip = 3,
    LeakyRelu = 4,
    HardSwish = 5,
}

public enum PadFill
{
    Constant = 0,
    Reflect = 1,
    Edge = 2,
}

public enum ResizeMode
{
    Nearest = 0,
    Linear = 1,
}

public enum ResizeCoordinateMode
{
    HalfPixel = 0,
    Asymmetric = 1,
    AlignCorners = 2,
    PytorchHalfPixel = 3,
}

public enum ResizeNearestMode
{
    RoundPreferFloor = 0,
    RoundPreferCeil = 1,
    Floor = 2,
    Ceil = 3,
}

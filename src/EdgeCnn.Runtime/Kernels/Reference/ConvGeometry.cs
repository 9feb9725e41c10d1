namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Every size a convolution-family reference kernel needs, always as 3 spatial axes (D, H, W): 1D and 2D convolutions set
/// the missing leading axes to size 1, which makes one loop nest serve all ranks. Built once at Plan.
/// </summary>
public sealed class ConvGeometry
{
    public int Batch { get; init; } = 1;

    // Input [N, InD, InH, InW, InC], channels last.
    public int InD { get; init; } = 1;

    public int InH { get; init; } = 1;

    public int InW { get; init; } = 1;

    public int InC { get; init; } = 1;

    // Output [N, OutD, OutH, OutW, OutC].
    public int OutD { get; init; } = 1;

    public int OutH { get; init; } = 1;

    public int OutW { get; init; } = 1;

    public int OutC { get; init; } = 1;

    // Kernel window (weights [OutC, KD, KH, KW, InC / Group] per weight set).
    public int KD { get; init; } = 1;

    public int KH { get; init; } = 1;

    public int KW { get; init; } = 1;

    public int StrideD { get; init; } = 1;

    public int StrideH { get; init; } = 1;

    public int StrideW { get; init; } = 1;

    public int DilationD { get; init; } = 1;

    public int DilationH { get; init; } = 1;

    public int DilationW { get; init; } = 1;

    /// <summary>Begin padding per axis (end padding only changes the output size, which is given).</summary>
    public int PadD { get; init; }

    public int PadH { get; init; }

    public int PadW { get; init; }

    public int Group { get; init; } = 1;

    // Untied weight sets: output position (d, h, w) uses set (d mod TileD, h mod TileH, w mod TileW). 1x1x1 is a plain
    // convolution; the output size is a locally connected layer.
    public int TileD { get; init; } = 1;

    public int TileH { get; init; } = 1;

    public int TileW { get; init; } = 1;

    /// <summary>Bias holds one [OutC] vector per weight set (locally connected bias [outH, outW, O]) instead of one.</summary>
    public bool BiasPerTile { get; init; }

    /// <summary>Input channels each output channel reads (the weights' last dim).</summary>
    public int GroupInC => InC / Group;

    public int GroupOutC => OutC / Group;

    /// <summary>Weights of one output channel in one weight set: KD * KH * KW * InC / Group (the reduction length).</summary>
    public int WeightsPerOutput => KD * KH * KW * GroupInC;

    public override string ToString() =>
        $"N={Batch} in=[{InD},{InH},{InW},{InC}] out=[{OutD},{OutH},{OutW},{OutC}] k=[{KD},{KH},{KW}] s=[{StrideD},{StrideH},{StrideW}] " +
        $"d=[{DilationD},{DilationH},{DilationW}] pad=[{PadD},{PadH},{PadW}] group={Group} tile=[{TileD},{TileH},{TileW}]";
}

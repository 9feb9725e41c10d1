namespace EdgeCnn.Runtime.Graph;

/// <summary>Where a tensor lives after planning.</summary>
public readonly record struct TensorPlacement(int Tensor, int Buffer, long ArenaOffset, long Bytes, bool IsConstant);

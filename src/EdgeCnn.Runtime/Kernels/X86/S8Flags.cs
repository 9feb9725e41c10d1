namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>A compile-time switch for specialized epilogues (the JIT removes the branch per instantiation).</summary>
public interface IS8Flag
{
    static abstract bool On { get; }
}

public readonly struct S8On : IS8Flag
{
    public static bool On => true;
}

public readonly struct S8Off : IS8Flag
{
    public static bool On => false;
}

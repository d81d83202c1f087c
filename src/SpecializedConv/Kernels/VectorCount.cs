namespace SpecializedConv.Kernels;

/// <summary>
/// A register-tile dimension as a type, so one micro-kernel source serves every tile width: the JIT compiles a
/// copy per count and removes the accumulators and statements a smaller count does not use.
/// </summary>
internal interface IVectorCount
{
    static abstract int Value { get; }
}

internal readonly struct One : IVectorCount
{
    public static int Value => 1;
}

internal readonly struct Two : IVectorCount
{
    public static int Value => 2;
}

internal readonly struct Three : IVectorCount
{
    public static int Value => 3;
}

internal readonly struct Four : IVectorCount
{
    public static int Value => 4;
}

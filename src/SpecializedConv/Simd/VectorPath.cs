using System.Runtime.Intrinsics;

namespace SpecializedConv.Simd;

/// <summary>The SIMD width a kernel runs at, chosen from what the JIT (or the NativeAOT target) accelerates.</summary>
internal enum VectorPath
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

/// <summary>Chooses the widest accelerated path.</summary>
internal static class VectorPaths
{
    /// <summary>
    /// The widest path this process accelerates. <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c> and
    /// <c>DOTNET_EnableHWIntrinsic=0</c> step it down to 256, 128 and scalar; the tests run every one of them.
    /// </summary>
    public static VectorPath Best =>
        Vector512.IsHardwareAccelerated ? VectorPath.Vector512
        : Vector256.IsHardwareAccelerated ? VectorPath.Vector256
        : Vector128.IsHardwareAccelerated ? VectorPath.Vector128
        : VectorPath.Scalar;

    /// <summary>Floats per register on <paramref name="path"/>.</summary>
    public static int Lanes(VectorPath path) => path switch
    {
        VectorPath.Vector512 => Width512.Lanes,
        VectorPath.Vector256 => Width256.Lanes,
        VectorPath.Vector128 => Width128.Lanes,
        _ => WidthScalar.Lanes,
    };

    /// <summary>Registers the JIT can allocate on <paramref name="path"/>.</summary>
    public static int Registers(VectorPath path) => path switch
    {
        VectorPath.Vector512 => Width512.Registers,
        VectorPath.Vector256 => Width256.Registers,
        VectorPath.Vector128 => Width128.Registers,
        _ => WidthScalar.Registers,
    };
}

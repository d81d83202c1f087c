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

/// <summary>Work written once over any width: <see cref="VectorPaths.Run{TAction}"/> calls it with a path's types.</summary>
internal interface IWidthAction
{
    void Run<TVec, TWidth>()
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>;
}

/// <summary>Chooses the widest accelerated path, and runs width-generic work on a path.</summary>
internal static class VectorPaths
{
    /// <summary>Runs <paramref name="action"/> specialized for <paramref name="path"/>: the one place a path becomes types.</summary>
    public static void Run<TAction>(VectorPath path, ref TAction action)
        where TAction : struct, IWidthAction
    {
        switch (path)
        {
            case VectorPath.Vector512:
                action.Run<Vector512<float>, Width512>();
                break;
            case VectorPath.Vector256:
                action.Run<Vector256<float>, Width256>();
                break;
            case VectorPath.Vector128:
                action.Run<Vector128<float>, Width128>();
                break;
            default:
                action.Run<float, WidthScalar>();
                break;
        }
    }

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

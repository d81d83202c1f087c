using System.Collections.Generic;
using System.Runtime.Intrinsics;
using SpecializedConv.Simd;

namespace SpecializedConv.Tests.Oracles;

/// <summary>The SIMD paths this process can run, widest first (the child-process tests cover the register counts of narrower machines).</summary>
internal static class Paths
{
    public static IReadOnlyList<VectorPath> Available { get; } = Compute();

    private static List<VectorPath> Compute()
    {
        var paths = new List<VectorPath>();
        if (Vector512.IsHardwareAccelerated)
        {
            paths.Add(VectorPath.Vector512);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            paths.Add(VectorPath.Vector256);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            paths.Add(VectorPath.Vector128);
        }

        paths.Add(VectorPath.Scalar);
        return paths;
    }
}

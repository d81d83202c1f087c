using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SpecializedConv.Benchmarks;

/// <summary>
/// One core's fp32 FMA peak, measured as the peers' script measures it: 12 independent FMA chains of the widest
/// vector in a loop with no call (a call would send every chain through memory, DESIGN.md kernel notes).
/// </summary>
public static class PeakFlops
{
    /// <summary>GFLOP/s, best of <paramref name="trials"/> runs of 12 million vector FMAs each (about 3 ms on Zen 4).</summary>
    public static double Measure(int trials = 5)
    {
        const long iterations = 1_000_000;
        Chains(1000);
        double best = 0;
        for (int trial = 0; trial < trials; trial++)
        {
            long start = Stopwatch.GetTimestamp();
            Chains(iterations);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            int lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;
            best = System.Math.Max(best, iterations * 12.0 * lanes * 2 / seconds / 1e9);
        }

        return best;
    }

    /// <summary>
    /// GFLOP/s of <paramref name="threads"/> threads each running the chains at once: what the cores together reach.
    /// Two vCPUs that are SMT siblings of one physical core share its FMA units and fall well short of twice one.
    /// </summary>
    public static double MeasureParallel(int threads, int trials = 3)
    {
        const long iterations = 1_000_000;
        double best = 0;
        int lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;
        for (int trial = 0; trial < trials; trial++)
        {
            long start = Stopwatch.GetTimestamp();
            System.Threading.Tasks.Parallel.For(0, threads, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Chains(iterations));
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = System.Math.Max(best, threads * iterations * 12.0 * lanes * 2 / seconds / 1e9);
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains(long iterations)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> m = Vector512.Create(0.9999999f), c = Vector512.Create(1e-7f);
            Vector512<float> a0 = Vector512.Create(1f), a1 = a0 + c, a2 = a1 + c, a3 = a2 + c, a4 = a3 + c, a5 = a4 + c;
            Vector512<float> a6 = a5 + c, a7 = a6 + c, a8 = a7 + c, a9 = a8 + c, a10 = a9 + c, a11 = a10 + c;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
                a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
                a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
                a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
                a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
                a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            }

            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
        }

        Vector256<float> n = Vector256.Create(0.9999999f), d = Vector256.Create(1e-7f);
        Vector256<float> b0 = Vector256.Create(1f), b1 = b0 + d, b2 = b1 + d, b3 = b2 + d, b4 = b3 + d, b5 = b4 + d;
        Vector256<float> b6 = b5 + d, b7 = b6 + d, b8 = b7 + d, b9 = b8 + d, b10 = b9 + d, b11 = b10 + d;
        for (long i = 0; i < iterations; i++)
        {
            b0 = Vector256.MultiplyAddEstimate(b0, n, d); b1 = Vector256.MultiplyAddEstimate(b1, n, d);
            b2 = Vector256.MultiplyAddEstimate(b2, n, d); b3 = Vector256.MultiplyAddEstimate(b3, n, d);
            b4 = Vector256.MultiplyAddEstimate(b4, n, d); b5 = Vector256.MultiplyAddEstimate(b5, n, d);
            b6 = Vector256.MultiplyAddEstimate(b6, n, d); b7 = Vector256.MultiplyAddEstimate(b7, n, d);
            b8 = Vector256.MultiplyAddEstimate(b8, n, d); b9 = Vector256.MultiplyAddEstimate(b9, n, d);
            b10 = Vector256.MultiplyAddEstimate(b10, n, d); b11 = Vector256.MultiplyAddEstimate(b11, n, d);
        }

        return Vector256.Sum(b0 + b1 + b2 + b3 + b4 + b5 + b6 + b7 + b8 + b9 + b10 + b11);
    }
}

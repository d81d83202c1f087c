using System.Runtime.CompilerServices;
using SpecializedConv.Simd;

namespace SpecializedConv.Kernels;

/// <summary>
/// One call of the direct micro-kernel: up to <see cref="DirectTile.Pixels"/> output pixels that read
/// the same kernel taps, times one block of output channels. Filled by the driver, read once by the kernel.
/// </summary>
internal unsafe struct DirectTileJob
{
    /// <summary>Per pixel, the input float under its first valid tap (row <c>FirstTapY</c>, column <c>FirstTapX</c>) in its group's channels.</summary>
    public fixed long Input[DirectTile.Pixels];

    /// <summary>Per pixel, its first output float of this channel block.</summary>
    public fixed long Output[DirectTile.Pixels];

    /// <summary>Valid pixels, 1 to <see cref="DirectTile.Pixels"/>; the kernel computes the others on pixel 0's input and drops them.</summary>
    public int PixelCount;

    /// <summary>The packed weights of the block at the first valid tap.</summary>
    public float* Weights;

    /// <summary>The block's bias (zeros without bias), one register per vector.</summary>
    public float* Bias;

    /// <summary>Kernel rows to accumulate.</summary>
    public nint Rows;

    /// <summary>Contiguous runs per kernel row: the valid kernel columns, or 1 when columns and channels are contiguous.</summary>
    public nint Segments;

    /// <summary>Floats per run: the group's input channels, or valid columns x channels when merged.</summary>
    public nint SegmentLength;

    public nint InputRowStep;
    public nint InputSegmentStep;
    public nint WeightRowStep;
    public nint WeightSegmentStep;

    /// <summary>Output channels in the block's last vector (1 to lanes): the rest of that vector is not stored.</summary>
    public int TailLanes;

    /// <summary>Whether the clamp epilogue (None/Relu/Relu6/LeakyRelu) runs; otherwise the bias alone is added.</summary>
    public bool Clamp;
    public float ClampHigh;
    public float ClampNegativeSlope;
}

/// <summary>Sizes of the direct micro-kernel.</summary>
internal static class DirectTile
{
    /// <summary>Output pixels per tile: 6 x 4 registers of accumulators fits AVX-512's 32 registers with the
    /// 4 weight registers and a broadcast (29), 6 x 2 fits 16 (15).</summary>
    public const int Pixels = 6;

    /// <summary>Channel vectors per tile for a register file of <paramref name="registers"/>.</summary>
    public static int MaxVectors(int registers) => registers >= 32 ? 4 : 2;
}

/// <summary>
/// The direct convolution micro-kernel: 6 output pixels x 1 to 4 vectors of output channels
/// accumulate in registers over the tile's kernel taps and input channels, then get bias and clamp and are stored.
/// </summary>
/// <remarks>
/// The loop nest lives in one method with no calls: on Linux x64 no vector register survives a call, and the JIT
/// would keep every accumulator live across one in memory (DESIGN.md, kernel notes). Pixels are addressed through
/// their own pointers, so a tile may span rows and borders reuse the same kernel with a narrower tap window.
/// </remarks>
internal static unsafe class DirectTile<TVec, TWidth>
    where TVec : struct
    where TWidth : struct, IVectorWidth<TVec>
{
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run<TCount>(ref DirectTileJob job)
        where TCount : struct, IVectorCount
    {
        int vectors = TCount.Value;
        int lanes = TWidth.Lanes;
        nint step = vectors * lanes; // floats per input channel in the packed block

        float* x0 = (float*)job.Input[0], x1 = (float*)job.Input[1], x2 = (float*)job.Input[2];
        float* x3 = (float*)job.Input[3], x4 = (float*)job.Input[4], x5 = (float*)job.Input[5];
        float* weights = job.Weights;
        nint rows = job.Rows, segments = job.Segments, length = job.SegmentLength;
        nint inputRowStep = job.InputRowStep, inputSegmentStep = job.InputSegmentStep;
        nint weightRowStep = job.WeightRowStep, weightSegmentStep = job.WeightSegmentStep;

        TVec a00 = TWidth.Zero, a01 = TWidth.Zero, a02 = TWidth.Zero, a03 = TWidth.Zero;
        TVec a10 = TWidth.Zero, a11 = TWidth.Zero, a12 = TWidth.Zero, a13 = TWidth.Zero;
        TVec a20 = TWidth.Zero, a21 = TWidth.Zero, a22 = TWidth.Zero, a23 = TWidth.Zero;
        TVec a30 = TWidth.Zero, a31 = TWidth.Zero, a32 = TWidth.Zero, a33 = TWidth.Zero;
        TVec a40 = TWidth.Zero, a41 = TWidth.Zero, a42 = TWidth.Zero, a43 = TWidth.Zero;
        TVec a50 = TWidth.Zero, a51 = TWidth.Zero, a52 = TWidth.Zero, a53 = TWidth.Zero;

        for (nint row = 0; row < rows; row++)
        {
            for (nint segment = 0; segment < segments; segment++)
            {
                nint x = (row * inputRowStep) + (segment * inputSegmentStep);
                float* w = weights + (row * weightRowStep) + (segment * weightSegmentStep);
                nint end = x + length;
                for (; x < end; x++, w += step)
                {
                    TVec w0 = TWidth.Load(w);
                    TVec w1 = vectors > 1 ? TWidth.Load(w + lanes) : default;
                    TVec w2 = vectors > 2 ? TWidth.Load(w + (2 * lanes)) : default;
                    TVec w3 = vectors > 3 ? TWidth.Load(w + (3 * lanes)) : default;

                    TVec b = TWidth.Broadcast(x0[x]);
                    a00 = TWidth.MultiplyAdd(b, w0, a00);
                    if (vectors > 1) { a01 = TWidth.MultiplyAdd(b, w1, a01); }
                    if (vectors > 2) { a02 = TWidth.MultiplyAdd(b, w2, a02); }
                    if (vectors > 3) { a03 = TWidth.MultiplyAdd(b, w3, a03); }

                    b = TWidth.Broadcast(x1[x]);
                    a10 = TWidth.MultiplyAdd(b, w0, a10);
                    if (vectors > 1) { a11 = TWidth.MultiplyAdd(b, w1, a11); }
                    if (vectors > 2) { a12 = TWidth.MultiplyAdd(b, w2, a12); }
                    if (vectors > 3) { a13 = TWidth.MultiplyAdd(b, w3, a13); }

                    b = TWidth.Broadcast(x2[x]);
                    a20 = TWidth.MultiplyAdd(b, w0, a20);
                    if (vectors > 1) { a21 = TWidth.MultiplyAdd(b, w1, a21); }
                    if (vectors > 2) { a22 = TWidth.MultiplyAdd(b, w2, a22); }
                    if (vectors > 3) { a23 = TWidth.MultiplyAdd(b, w3, a23); }

                    b = TWidth.Broadcast(x3[x]);
                    a30 = TWidth.MultiplyAdd(b, w0, a30);
                    if (vectors > 1) { a31 = TWidth.MultiplyAdd(b, w1, a31); }
                    if (vectors > 2) { a32 = TWidth.MultiplyAdd(b, w2, a32); }
                    if (vectors > 3) { a33 = TWidth.MultiplyAdd(b, w3, a33); }

                    b = TWidth.Broadcast(x4[x]);
                    a40 = TWidth.MultiplyAdd(b, w0, a40);
                    if (vectors > 1) { a41 = TWidth.MultiplyAdd(b, w1, a41); }
                    if (vectors > 2) { a42 = TWidth.MultiplyAdd(b, w2, a42); }
                    if (vectors > 3) { a43 = TWidth.MultiplyAdd(b, w3, a43); }

                    b = TWidth.Broadcast(x5[x]);
                    a50 = TWidth.MultiplyAdd(b, w0, a50);
                    if (vectors > 1) { a51 = TWidth.MultiplyAdd(b, w1, a51); }
                    if (vectors > 2) { a52 = TWidth.MultiplyAdd(b, w2, a52); }
                    if (vectors > 3) { a53 = TWidth.MultiplyAdd(b, w3, a53); }
                }
            }
        }

        // Epilogue: bias, then the clamp, then the stores of the valid pixels. Nothing here is in the hot loop.
        float* bias = job.Bias;
        TVec bias0 = TWidth.Load(bias);
        TVec bias1 = vectors > 1 ? TWidth.Load(bias + lanes) : default;
        TVec bias2 = vectors > 2 ? TWidth.Load(bias + (2 * lanes)) : default;
        TVec bias3 = vectors > 3 ? TWidth.Load(bias + (3 * lanes)) : default;
        int pixels = job.PixelCount, tail = job.TailLanes;
        bool clamp = job.Clamp;
        TVec high = TWidth.Broadcast(job.ClampHigh), slope = TWidth.Broadcast(job.ClampNegativeSlope);
        bool leaky = job.ClampNegativeSlope != 0f;

        StorePixel<TCount>((float*)job.Output[0], a00, a01, a02, a03, bias0, bias1, bias2, bias3, clamp, high, slope, leaky, tail);
        if (pixels > 1)
        {
            StorePixel<TCount>((float*)job.Output[1], a10, a11, a12, a13, bias0, bias1, bias2, bias3, clamp, high, slope, leaky, tail);
        }

        if (pixels > 2)
        {
            StorePixel<TCount>((float*)job.Output[2], a20, a21, a22, a23, bias0, bias1, bias2, bias3, clamp, high, slope, leaky, tail);
        }

        if (pixels > 3)
        {
            StorePixel<TCount>((float*)job.Output[3], a30, a31, a32, a33, bias0, bias1, bias2, bias3, clamp, high, slope, leaky, tail);
        }

        if (pixels > 4)
        {
            StorePixel<TCount>((float*)job.Output[4], a40, a41, a42, a43, bias0, bias1, bias2, bias3, clamp, high, slope, leaky, tail);
        }

        if (pixels > 5)
        {
            StorePixel<TCount>((float*)job.Output[5], a50, a51, a52, a53, bias0, bias1, bias2, bias3, clamp, high, slope, leaky, tail);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePixel<TCount>(
        float* output, TVec a0, TVec a1, TVec a2, TVec a3, TVec bias0, TVec bias1, TVec bias2, TVec bias3,
        bool clamp, TVec high, TVec slope, bool leaky, int tail)
        where TCount : struct, IVectorCount
    {
        int vectors = TCount.Value;
        int lanes = TWidth.Lanes;
        a0 = TWidth.Add(a0, bias0);
        a1 = vectors > 1 ? TWidth.Add(a1, bias1) : a1;
        a2 = vectors > 2 ? TWidth.Add(a2, bias2) : a2;
        a3 = vectors > 3 ? TWidth.Add(a3, bias3) : a3;
        if (clamp)
        {
            a0 = ActivationOps.Clamp<TVec, TWidth>(a0, high, slope, leaky);
            a1 = vectors > 1 ? ActivationOps.Clamp<TVec, TWidth>(a1, high, slope, leaky) : a1;
            a2 = vectors > 2 ? ActivationOps.Clamp<TVec, TWidth>(a2, high, slope, leaky) : a2;
            a3 = vectors > 3 ? ActivationOps.Clamp<TVec, TWidth>(a3, high, slope, leaky) : a3;
        }

        // Every vector but the last is full; the last holds `tail` channels.
        TVec last = vectors switch { 1 => a0, 2 => a1, 3 => a2, _ => a3 };
        if (vectors > 1) { TWidth.Store(output, a0); }
        if (vectors > 2) { TWidth.Store(output + lanes, a1); }
        if (vectors > 3) { TWidth.Store(output + (2 * lanes), a2); }
        float* lastOutput = output + ((vectors - 1) * lanes);
        if (tail == lanes)
        {
            TWidth.Store(lastOutput, last);
        }
        else
        {
            TWidth.StoreFirst(lastOutput, last, tail);
        }
    }
}

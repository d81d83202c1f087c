using System.Runtime.CompilerServices;
using SpecializedConv.Simd;

namespace SpecializedConv.Kernels;

/// <summary>One call of the depthwise kernel: a run of output pixels along a row that read the same kernel taps.</summary>
internal unsafe struct DepthwiseTileJob
{
    /// <summary>The first pixel's input under its first valid tap, channel 0.</summary>
    public float* Input;

    /// <summary>The first pixel's output, channel 0.</summary>
    public float* Output;

    /// <summary>Pixels in the run.</summary>
    public nint Pixels;

    /// <summary>Floats between consecutive pixels' inputs (stride x channels) and outputs (output channels).</summary>
    public nint InputPixelStep;
    public nint OutputPixelStep;

    /// <summary>Packed weights at the first valid tap: <c>[tap][output channels rounded up to vectors]</c>.</summary>
    public float* Weights;
    public float* Bias;

    public nint Rows;
    public nint Columns;
    public nint InputRowStep;
    public nint InputColumnStep;
    public nint WeightRowStep;
    public nint WeightColumnStep;

    /// <summary>Output channel vectors per pixel; the last one holds <see cref="TailLanes"/> channels.</summary>
    public nint Vectors;
    public int TailLanes;

    /// <summary>Per output vector: the input channel its lanes start at, and how many input lanes exist from there.</summary>
    public int* InputChannel;
    public int* InputLanes;

    /// <summary>With a depth multiplier above 1: per output vector, which loaded lane each output lane takes (int bits).</summary>
    public float* Spread;

    public bool Clamp;
    public float ClampHigh;
    public float ClampNegativeSlope;
}

/// <summary>
/// The depthwise kernel: each output channel reads one input channel, so a pixel's channels are vectors of
/// independent dot products over the taps. Four vectors at a time keep four FMA chains in flight.
/// </summary>
internal static unsafe class DepthwiseTile<TVec, TWidth>
    where TVec : struct
    where TWidth : struct, IVectorWidth<TVec>
{
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(ref DepthwiseTileJob job)
    {
        int lanes = TWidth.Lanes;
        float* weights = job.Weights, bias = job.Bias;
        nint rows = job.Rows, columns = job.Columns, vectors = job.Vectors;
        nint inputRowStep = job.InputRowStep, inputColumnStep = job.InputColumnStep;
        nint weightRowStep = job.WeightRowStep, weightColumnStep = job.WeightColumnStep;
        int* inputChannel = job.InputChannel;
        int* inputLanes = job.InputLanes;
        float* spread = job.Spread;
        int tail = job.TailLanes;
        bool clamp = job.Clamp;
        TVec high = TWidth.Broadcast(job.ClampHigh), slope = TWidth.Broadcast(job.ClampNegativeSlope);
        bool leaky = job.ClampNegativeSlope != 0f;

        float* input = job.Input, output = job.Output;
        for (nint pixel = 0; pixel < job.Pixels; pixel++, input += job.InputPixelStep, output += job.OutputPixelStep)
        {
            nint vector = 0;
            if (spread == null)
            {
                // Four full vectors at a time; each tap is four independent FMAs.
                for (; vector + 4 <= vectors && (vector + 4 < vectors || tail == lanes); vector += 4)
                {
                    nint channel = vector * lanes;
                    TVec a0 = TWidth.Load(bias + channel), a1 = TWidth.Load(bias + channel + lanes);
                    TVec a2 = TWidth.Load(bias + channel + (2 * lanes)), a3 = TWidth.Load(bias + channel + (3 * lanes));
                    for (nint row = 0; row < rows; row++)
                    {
                        float* x = input + (row * inputRowStep) + channel;
                        float* w = weights + (row * weightRowStep) + channel;
                        for (nint column = 0; column < columns; column++, x += inputColumnStep, w += weightColumnStep)
                        {
                            a0 = TWidth.MultiplyAdd(TWidth.Load(x), TWidth.Load(w), a0);
                            a1 = TWidth.MultiplyAdd(TWidth.Load(x + lanes), TWidth.Load(w + lanes), a1);
                            a2 = TWidth.MultiplyAdd(TWidth.Load(x + (2 * lanes)), TWidth.Load(w + (2 * lanes)), a2);
                            a3 = TWidth.MultiplyAdd(TWidth.Load(x + (3 * lanes)), TWidth.Load(w + (3 * lanes)), a3);
                        }
                    }

                    if (clamp)
                    {
                        a0 = ActivationOps.Clamp<TVec, TWidth>(a0, high, slope, leaky);
                        a1 = ActivationOps.Clamp<TVec, TWidth>(a1, high, slope, leaky);
                        a2 = ActivationOps.Clamp<TVec, TWidth>(a2, high, slope, leaky);
                        a3 = ActivationOps.Clamp<TVec, TWidth>(a3, high, slope, leaky);
                    }

                    TWidth.Store(output + channel, a0);
                    TWidth.Store(output + channel + lanes, a1);
                    TWidth.Store(output + channel + (2 * lanes), a2);
                    TWidth.Store(output + channel + (3 * lanes), a3);
                }
            }

            // The remaining vectors one by one: the partial last one, and every vector of a multiplied layer,
            // whose input lanes are loaded from their first channel and spread over the multiplier's outputs.
            for (; vector < vectors; vector++)
            {
                nint channel = vector * lanes;
                int firstInput = inputChannel[vector], loadLanes = inputLanes[vector];
                TVec lanesOfInput = spread == null ? default : TWidth.Load(spread + channel);
                TVec a = TWidth.Load(bias + channel);
                for (nint row = 0; row < rows; row++)
                {
                    float* x = input + (row * inputRowStep) + firstInput;
                    float* w = weights + (row * weightRowStep) + channel;
                    for (nint column = 0; column < columns; column++, x += inputColumnStep, w += weightColumnStep)
                    {
                        TVec value = loadLanes == lanes ? TWidth.Load(x) : TWidth.LoadFirst(x, loadLanes);
                        if (spread != null)
                        {
                            value = TWidth.Permute(value, lanesOfInput);
                        }

                        a = TWidth.MultiplyAdd(value, TWidth.Load(w), a);
                    }
                }

                if (clamp)
                {
                    a = ActivationOps.Clamp<TVec, TWidth>(a, high, slope, leaky);
                }

                if (vector + 1 < vectors || tail == lanes)
                {
                    TWidth.Store(output + channel, a);
                }
                else
                {
                    TWidth.StoreFirst(output + channel, a, tail);
                }
            }
        }
    }
}

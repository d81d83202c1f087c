using System;

namespace SpecializedConv.Tests.Oracles;

/// <summary>One axis of a convolution as DESIGN.md's formulas define it, computed here and nowhere else in the tests.</summary>
public readonly record struct ReferenceAxis(int Input, int Kernel, int Stride, int Dilation, int PadBegin, int PadEnd)
{
    public int EffectiveKernel => ((Kernel - 1) * Dilation) + 1;

    /// <summary>floor((N + padBegin + padEnd - EK) / S) + 1, or 0 when the window does not fit.</summary>
    public int Output => Input + PadBegin + PadEnd - EffectiveKernel < 0 ? 0 : ((Input + PadBegin + PadEnd - EffectiveKernel) / Stride) + 1;

    /// <summary>TensorFlow SAME: O = ceil(N / S), total = max((O - 1) * S + EK - N, 0), begin = total / 2, the odd pixel at the end.</summary>
    public static ReferenceAxis Same(int input, int kernel, int stride, int dilation)
    {
        int output = (input + stride - 1) / stride;
        int total = Math.Max(((output - 1) * stride) + (((kernel - 1) * dilation) + 1) - input, 0);
        return new ReferenceAxis(input, kernel, stride, dilation, total / 2, total - (total / 2));
    }
}

/// <summary>
/// The direct convolution of DESIGN.md, in double precision, as an oracle: no packing, no tiling, no SIMD. It reads a
/// spec's settings only (never its computed sizes or pads, which are under test).
/// </summary>
public static class ReferenceConvolution
{
    public static (ReferenceAxis Height, ReferenceAxis Width) Axes(ConvSpec spec)
    {
        bool pads = spec.PadTop != 0 || spec.PadBottom != 0 || spec.PadLeft != 0 || spec.PadRight != 0;
        return spec.Padding switch
        {
            Padding.Same => (ReferenceAxis.Same(spec.InputHeight, spec.KernelHeight, spec.StrideHeight, spec.DilationHeight),
                             ReferenceAxis.Same(spec.InputWidth, spec.KernelWidth, spec.StrideWidth, spec.DilationWidth)),
            Padding.Valid when !pads => (new ReferenceAxis(spec.InputHeight, spec.KernelHeight, spec.StrideHeight, spec.DilationHeight, 0, 0),
                                         new ReferenceAxis(spec.InputWidth, spec.KernelWidth, spec.StrideWidth, spec.DilationWidth, 0, 0)),
            _ => (new ReferenceAxis(spec.InputHeight, spec.KernelHeight, spec.StrideHeight, spec.DilationHeight, spec.PadTop, spec.PadBottom),
                  new ReferenceAxis(spec.InputWidth, spec.KernelWidth, spec.StrideWidth, spec.DilationWidth, spec.PadLeft, spec.PadRight)),
        };
    }

    /// <summary>
    /// The convolution of <paramref name="images"/> NHWC images with HWIO weights; returns the output and, per output
    /// float, the sum of the magnitudes of its terms (the scale its float rounding error grows with).
    /// </summary>
    public static (float[] Output, double[] Magnitude) Run(ConvSpec spec, float[] input, int images, float[] weights, float[] bias)
    {
        var (height, width) = Axes(spec);
        int oh = height.Output, ow = width.Output;
        int cin = spec.InputChannels, cout = spec.OutputChannels, groups = spec.Groups;
        int cinGroup = cin / groups, coutGroup = cout / groups;
        var output = new float[images * oh * ow * cout];
        var magnitude = new double[output.Length];
        for (int n = 0; n < images; n++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    for (int o = 0; o < cout; o++)
                    {
                        int g = o / coutGroup;
                        double sum = bias.Length > 0 ? bias[o] : 0;
                        double size = Math.Abs(sum);
                        for (int ky = 0; ky < spec.KernelHeight; ky++)
                        {
                            int iy = (oy * height.Stride) - height.PadBegin + (ky * height.Dilation);
                            if (iy < 0 || iy >= spec.InputHeight)
                            {
                                continue;
                            }

                            for (int kx = 0; kx < spec.KernelWidth; kx++)
                            {
                                int ix = (ox * width.Stride) - width.PadBegin + (kx * width.Dilation);
                                if (ix < 0 || ix >= spec.InputWidth)
                                {
                                    continue;
                                }

                                for (int c = 0; c < cinGroup; c++)
                                {
                                    double term = (double)input[((((n * spec.InputHeight) + iy) * spec.InputWidth) + ix) * cin + (g * cinGroup) + c]
                                        * weights[((((ky * spec.KernelWidth) + kx) * cinGroup) + c) * cout + o];
                                    sum += term;
                                    size += Math.Abs(term);
                                }
                            }
                        }

                        int index = ((((n * oh) + oy) * ow) + ox) * cout + o;
                        output[index] = (float)Activate(sum, spec.Activation, spec.ActivationAlpha);
                        magnitude[index] = size;
                    }
                }
            }
        }

        return (output, magnitude);
    }

    /// <summary>The activations as DESIGN.md writes them.</summary>
    public static double Activate(double x, Activation activation, float alpha) => activation switch
    {
        Activation.None => x,
        Activation.Relu => Math.Max(x, 0),
        Activation.Relu6 => Math.Min(Math.Max(x, 0), 6),
        Activation.LeakyRelu => x < 0 ? alpha * x : x,
        Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
        Activation.Tanh => Math.Tanh(x),
        Activation.Silu => x / (1 + Math.Exp(-x)),
        Activation.HardSwish => x * Math.Min(Math.Max(x + 3, 0), 6) / 6,
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}

using System;
using CsCheck;

namespace SpecializedConv.Tests.Oracles;

/// <summary>A convolution to test: a spec, a batch size and the seed of its data.</summary>
public sealed record ConvCase(ConvSpec Spec, int Images, int Seed)
{
    public (float[] Input, float[] Weights, float[] Bias) Data()
    {
        var random = new Random(Seed);
        return (Uniform(random, Images * Spec.InputHeight * Spec.InputWidth * Spec.InputChannels),
                Uniform(random, Spec.KernelHeight * Spec.KernelWidth * (Spec.InputChannels / Spec.Groups) * Spec.OutputChannels),
                Spec.UseBias ? Uniform(random, Spec.OutputChannels) : []);
    }

    public override string ToString() => $"{Spec} x{Images} images, seed {Seed}";

    public static float[] Uniform(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}

/// <summary>
/// Random valid convolutions that reach every branch of the geometry and the kernels: odd sizes, strides larger than
/// the kernel, stride with dilation, SAME with odd sizes and strides 2 and 3, asymmetric and unset-mode pads,
/// rectangular kernels, groups, depthwise with multipliers, 1x1, channel counts off the vector width, batches, and
/// every activation.
/// </summary>
public static class ConvCases
{
    private static readonly Gen<Activation> Activations = Gen.Enum<Activation>();

    private static readonly Gen<(int In, int Out, int Groups)> Channels = Gen.OneOf(
        // one group, channel counts on both sides of 16, 32 and 64 (vector and block widths)
        Gen.Select(Gen.Int[1, 24], Gen.Int[1, 72], (i, o) => (i, o, 1)),
        // grouped
        Gen.Select(Gen.Int[2, 4], Gen.Int[1, 6], Gen.Int[1, 9], (g, i, o) => (g * i, g * o, g)),
        // depthwise, with a multiplier
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 3], (c, m) => (c, c * m, c)));

    private static readonly Gen<(int Kernel, int Stride, int Dilation)> AxisShape = Gen.OneOf(
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 4], Gen.Int[1, 3], (k, s, d) => (k, s, d)),
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], (k, s) => (k, s, 1)),
        Gen.Const((1, 1, 1)));

    public static readonly Gen<ConvCase> All =
        from size in Gen.Select(Gen.Int[1, 13], Gen.Int[1, 13])
        from channels in Channels
        from rows in AxisShape
        from columns in AxisShape
        from mode in Gen.Int[0, 3]
        from pads in Gen.Select(Gen.Int[0, 4], Gen.Int[0, 4], Gen.Int[0, 4], Gen.Int[0, 4])
        from activation in Activations
        from alpha in Gen.Single[-0.5f, 1.5f]
        from useBias in Gen.Bool
        from images in Gen.Int[1, 3]
        from seed in Gen.Int
        let unpadded = new ConvSpec
        {
            InputHeight = size.Item1,
            InputWidth = size.Item2,
            InputChannels = channels.In,
            OutputChannels = channels.Out,
            Groups = channels.Groups,
            KernelHeight = rows.Kernel,
            KernelWidth = columns.Kernel,
            StrideHeight = rows.Stride,
            StrideWidth = columns.Stride,
            DilationHeight = rows.Dilation,
            DilationWidth = columns.Dilation,
            UseBias = useBias,
            Activation = activation,
            ActivationAlpha = alpha,
        }
        let padded = unpadded with { PadTop = pads.Item1, PadBottom = pads.Item2, PadLeft = pads.Item3, PadRight = pads.Item4 }
        let spec = mode switch
        {
            0 => unpadded with { Padding = Padding.Valid },
            1 => unpadded with { Padding = Padding.Same },
            2 => padded with { Padding = Padding.Explicit },
            _ => padded, // pads with the mode left unset mean Explicit
        }
        where IsValid(spec)
        select new ConvCase(spec, images, seed);

    /// <summary>Valid by the reference's own formulas: both output sizes positive.</summary>
    public static bool IsValid(ConvSpec spec)
    {
        var (height, width) = ReferenceConvolution.Axes(spec);
        return height.Output > 0 && width.Output > 0;
    }
}

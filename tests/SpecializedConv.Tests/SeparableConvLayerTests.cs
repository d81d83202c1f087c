using System;
using CsCheck;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.Tests;

/// <summary>The runtime SeparableConv2D against the reference run as its two steps.</summary>
public class SeparableConvLayerTests
{
    private static readonly Gen<(ConvSpec Depthwise, ConvSpec Pointwise, int Images, int Seed)> Cases =
        from size in Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40])
        from channels in Gen.Int[1, 20]
        from multiplier in Gen.Int[1, 3]
        from outputs in Gen.Int[1, 70]
        from kernel in Gen.Int[1, 5]
        from stride in Gen.Int[1, 3]
        from same in Gen.Bool
        from activation in Gen.Enum<Activation>()
        from useBias in Gen.Bool
        from images in Gen.Int[1, 2]
        from seed in Gen.Int
        let depthwise = new ConvSpec
        {
            InputHeight = size.Item1, InputWidth = size.Item2, InputChannels = channels, OutputChannels = channels * multiplier,
            Groups = channels, KernelHeight = kernel, KernelWidth = kernel, StrideHeight = stride, StrideWidth = stride,
            Padding = same ? Padding.Same : Padding.Valid, UseBias = false,
        }
        where ConvCases.IsValid(depthwise)
        let axes = ReferenceConvolution.Axes(depthwise)
        let pointwise = new ConvSpec
        {
            InputHeight = axes.Height.Output, InputWidth = axes.Width.Output, InputChannels = channels * multiplier, OutputChannels = outputs,
            KernelHeight = 1, KernelWidth = 1, UseBias = useBias, Activation = activation,
        }
        select (depthwise, pointwise, images, seed);

    [Fact]
    public void Separable_layers_match_depthwise_then_pointwise_on_300_random_specs()
    {
        Cases.Sample((depthwise, pointwise, images, seed) =>
        {
            var random = new Random(seed);
            float[] input = ConvCase.Uniform(random, images * depthwise.InputLength);
            float[] dw = ConvCase.Uniform(random, depthwise.WeightLength), pw = ConvCase.Uniform(random, pointwise.WeightLength);
            float[] bias = pointwise.UseBias ? ConvCase.Uniform(random, pointwise.OutputChannels) : [];
            var (middle, middleMagnitude) = ReferenceConvolution.Run(depthwise, input, images, dw, []);
            var (expected, magnitude) = ReferenceConvolution.Run(pointwise, middle, images, pw, bias);
            var scaled = (double[])magnitude.Clone();
            for (int i = 0; i < scaled.Length; i++)
            {
                scaled[i] += middleMagnitude.Length > 0 ? magnitude[i] * 2 : 0; // the middle's rounding propagates
            }

            var layer = new SeparableConvLayer(depthwise, pointwise, dw, pw, bias);
            var output = new float[images * layer.OutputLength];
            layer.Forward(input, output);
            Tolerance.AssertClose(output, expected, scaled, $"{depthwise} then {pointwise}", pointwise.Activation, pointwise.ActivationAlpha);
        }, iter: 300, threads: 1);
    }
}

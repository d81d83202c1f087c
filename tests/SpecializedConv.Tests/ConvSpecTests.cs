using System;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.Tests;

/// <summary>Output sizes and resolved pads against TensorFlow's documented values and the reference formulas.</summary>
public class ConvSpecTests
{
    private static ConvSpec Square(int size, int channels, int outputs, int kernel, int stride = 1, int dilation = 1) => new()
    {
        InputHeight = size, InputWidth = size, InputChannels = channels, OutputChannels = outputs,
        KernelHeight = kernel, KernelWidth = kernel, StrideHeight = stride, StrideWidth = stride,
        DilationHeight = dilation, DilationWidth = dilation,
    };

    [Fact]
    public void The_seed_examples_have_the_shapes_TensorFlow_prints()
    {
        ConvSpec example1 = Square(28, 3, 32, 3, stride: 2) with { PadTop = 2, PadBottom = 2, PadLeft = 2, PadRight = 2 };
        Assert.Equal((15, 15), (example1.OutputHeight, example1.OutputWidth));
        Assert.Equal(Padding.Explicit, example1.Padding);

        ConvSpec example2 = Square(32, 3, 64, 3, dilation: 2) with { Padding = Padding.Same };
        Assert.Equal((32, 32), (example2.OutputHeight, example2.OutputWidth));
        Assert.Equal((2, 2, 2, 2), (example2.ResolvedPadTop, example2.ResolvedPadBottom, example2.ResolvedPadLeft, example2.ResolvedPadRight));

        ConvSpec example3 = Square(64, 3, 3, 3) with { Padding = Padding.Same, Groups = 3 };
        Assert.Equal((64, 64), (example3.OutputHeight, example3.OutputWidth));
        Assert.True(example3.IsDepthwise);
    }

    [Theory]
    // TensorFlow SAME: out = ceil(in / stride); the odd padding pixel goes to the bottom/right.
    [InlineData(5, 3, 2, 1, 3, 1, 1)]
    [InlineData(6, 3, 2, 1, 3, 0, 1)]
    [InlineData(7, 3, 3, 1, 3, 1, 1)]
    [InlineData(8, 3, 3, 1, 3, 0, 1)]
    [InlineData(224, 3, 2, 1, 112, 0, 1)]
    [InlineData(10, 4, 1, 1, 10, 1, 2)]
    [InlineData(11, 3, 1, 3, 11, 3, 3)]
    [InlineData(9, 1, 4, 1, 3, 0, 0)]
    [InlineData(3, 7, 1, 1, 3, 3, 3)]
    [InlineData(4, 3, 5, 1, 1, 0, 0)]
    public void Same_padding_matches_TensorFlow(int size, int kernel, int stride, int dilation, int output, int padBegin, int padEnd)
    {
        ConvSpec spec = Square(size, 1, 1, kernel, stride, dilation) with { Padding = Padding.Same };
        Assert.Equal(output, spec.OutputHeight);
        Assert.Equal(output, spec.OutputWidth);
        Assert.Equal((padBegin, padEnd), (spec.ResolvedPadTop, spec.ResolvedPadBottom));
        Assert.Equal((padBegin, padEnd), (spec.ResolvedPadLeft, spec.ResolvedPadRight));
    }

    [Fact]
    public void Pads_with_the_mode_unset_mean_explicit_and_resolve_per_side()
    {
        ConvSpec spec = Square(10, 2, 2, 3) with { PadTop = 1, PadBottom = 2, PadLeft = 0, PadRight = 3 };
        Assert.Equal(Padding.Explicit, spec.Padding);
        Assert.Equal((1, 2, 0, 3), (spec.ResolvedPadTop, spec.ResolvedPadBottom, spec.ResolvedPadLeft, spec.ResolvedPadRight));
        Assert.Equal((11, 11), (spec.OutputHeight, spec.OutputWidth));
        Assert.Equal(Padding.Valid, Square(10, 2, 2, 3).Padding);
    }

    [Fact]
    public void Sizes_and_flops_follow_the_formulas()
    {
        ConvSpec spec = Square(56, 64, 64, 3) with { PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1 };
        Assert.Equal(56 * 56 * 64, spec.InputLength);
        Assert.Equal(56 * 56 * 64, spec.OutputLength);
        Assert.Equal(3 * 3 * 64 * 64, spec.WeightLength);
        Assert.Equal(64, spec.BiasLength);
        Assert.Equal(231211008L, spec.Flops); // shared/bench/suite.tsv, r18_c2_3x3
        Assert.Equal(0, (spec with { UseBias = false }).BiasLength);
    }

    [Fact]
    public void Output_sizes_agree_with_the_reference_formulas_on_random_specs()
    {
        CsCheck.Check.Sample(ConvCases.All, c =>
        {
            var (height, width) = ReferenceConvolution.Axes(c.Spec);
            Assert.Equal((height.Output, width.Output), (c.Spec.OutputHeight, c.Spec.OutputWidth));
            Assert.Equal((height.PadBegin, height.PadEnd, width.PadBegin, width.PadEnd),
                (c.Spec.ResolvedPadTop, c.Spec.ResolvedPadBottom, c.Spec.ResolvedPadLeft, c.Spec.ResolvedPadRight));
        }, iter: 2000);
    }

    [Fact]
    public void Equal_settings_make_equal_specs_and_the_description_names_them()
    {
        ConvSpec a = Square(8, 4, 4, 3) with { Padding = Padding.Same, Activation = Activation.Relu6 };
        ConvSpec b = Square(8, 4, 4, 3) with { Padding = Padding.Same, Activation = Activation.Relu6 };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, a with { Padding = Padding.Valid });
        Assert.Equal("ConvSpec 8x8x4 -> 4, kernel 3x3, stride 1x1, dilation 1x1, Same, bias, Relu6", a.ToString());
    }
}

using System;
using System.Linq;
using Xunit;

namespace SpecializedConv.Tests;

/// <summary>Wrong lengths throw <see cref="ArgumentException"/> naming expected and actual, and nothing is written.</summary>
public class ArgumentTests
{
    private static readonly ConvSpec Spec = new()
    {
        InputHeight = 5, InputWidth = 4, InputChannels = 3, OutputChannels = 8, KernelHeight = 3, KernelWidth = 3, Padding = Padding.Same,
    };

    private static readonly ConvSpec DepthwiseSpec = Spec with { OutputChannels = 3, Groups = 3, UseBias = false };
    private static readonly ConvSpec PointwiseSpec = Spec with { KernelHeight = 1, KernelWidth = 1, Padding = Padding.Valid, OutputChannels = 5 };

    private static ConvLayer Layer() => new(Spec, new float[Spec.WeightLength], new float[8]);

    private static SeparableConvLayer Separable() =>
        new(DepthwiseSpec, PointwiseSpec, new float[DepthwiseSpec.WeightLength], new float[PointwiseSpec.WeightLength], new float[5]);

    public static TheoryData<string> Layers => new() { "conv", "separable" };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Forward_rejects_wrong_lengths_before_writing(string kind)
    {
        IConvLayer layer = kind == "conv" ? Layer() : Separable();
        int i = layer.InputLength, o = layer.OutputLength;
        var cases = new (int Input, int Output, string[] Phrases)[]
        {
            (i + 1, o, [$"input holds {i + 1} floats", $"whole number of images of {i} floats"]),
            (0, 0, ["input holds 0 floats"]),
            (i, o - 1, [$"output holds {o - 1} floats", $"exactly {o}"]),
            (i, o + 1, [$"output holds {o + 1} floats", $"exactly {o}"]),
            (2 * i, o, [$"output holds {o} floats", "2 images", $"exactly {2 * o}"]),
        };
        foreach (var (inputLength, outputLength, phrases) in cases)
        {
            var output = Enumerable.Repeat(5f, outputLength).ToArray();
            var e = Assert.Throws<ArgumentException>(() => layer.Forward(new float[inputLength], output));
            Assert.All(phrases, p => Assert.Contains(p, e.Message, StringComparison.Ordinal));
            Assert.All(output, v => Assert.Equal(5f, v));
        }
    }

    [Fact]
    public void Forward_rejects_overlapping_buffers()
    {
        var buffer = new float[400];
        var e = Assert.Throws<ArgumentException>(() => Layer().Forward(buffer.AsSpan(0, 60), buffer.AsSpan(50, 160)));
        Assert.Contains("overlaps", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructors_reject_wrong_weight_and_bias_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConvLayer(Spec, new float[5], new float[8]));
        Assert.Contains("weights hold 5 floats", e.Message, StringComparison.Ordinal);
        Assert.Contains("needs 216: HWIO [3, 3, 3, 8]", e.Message, StringComparison.Ordinal);
        Assert.Equal("weights", e.ParamName);

        e = Assert.Throws<ArgumentException>(() => new ConvLayer(Spec, new float[216], new float[7]));
        Assert.Contains("bias holds 7 floats", e.Message, StringComparison.Ordinal);
        Assert.Contains("needs 8", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => new ConvLayer(Spec, new float[216]));
        Assert.Contains("bias holds 0 floats", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => new ConvLayer(Spec with { UseBias = false }, new float[216], new float[8]));
        Assert.Contains("must be empty because the layer has UseBias = false", e.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentNullException>(() => new ConvLayer(null!, new float[216], new float[8]));
    }

    [Fact]
    public void Separable_layers_reject_steps_that_do_not_chain()
    {
        float[] dw = new float[DepthwiseSpec.WeightLength], pw = new float[PointwiseSpec.WeightLength];
        var e = Assert.Throws<ArgumentException>(() => new SeparableConvLayer(Spec, PointwiseSpec, new float[Spec.WeightLength], pw, new float[5]));
        Assert.Contains("Groups == InputChannels", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new SeparableConvLayer(DepthwiseSpec with { UseBias = true }, PointwiseSpec, dw, pw, new float[5]));
        Assert.Contains("UseBias = false", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new SeparableConvLayer(DepthwiseSpec, PointwiseSpec with { InputChannels = 6 }, dw, new float[30], new float[5]));
        Assert.Contains("1x1, stride 1, unpadded", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new SeparableConvLayer(DepthwiseSpec, PointwiseSpec, dw, new float[3], new float[5]));
        Assert.Equal("pointwiseWeights", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => new SeparableConvLayer(DepthwiseSpec, PointwiseSpec, dw, pw));
        Assert.Equal("bias", e.ParamName);
    }
}

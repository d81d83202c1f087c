using System;
using Xunit;

namespace SpecializedConv.Tests;

/// <summary>Every invalid spec is an <see cref="ArgumentException"/> whose message names the problem and the way out.</summary>
public class ValidationTests
{
    private static readonly ConvSpec Valid = new()
    {
        InputHeight = 8, InputWidth = 8, InputChannels = 4, OutputChannels = 6, KernelHeight = 3, KernelWidth = 3,
    };

    public static TheoryData<string, ConvSpec, string[]> InvalidSpecs => new()
    {
        { "zero height", Valid with { InputHeight = 0 }, ["input height", "InputHeight", "at least 1", "is 0"] },
        { "negative width", Valid with { InputWidth = -3 }, ["input width", "InputWidth", "is -3"] },
        { "no input channels", Valid with { InputChannels = 0 }, ["input channel count", "InputChannels"] },
        { "no output channels", Valid with { OutputChannels = 0 }, ["output channel count", "OutputChannels"] },
        { "zero kernel", Valid with { KernelWidth = 0 }, ["kernel width", "KernelWidth"] },
        { "zero stride", Valid with { StrideHeight = 0 }, ["stride along the height", "StrideHeight"] },
        { "negative dilation", Valid with { DilationWidth = -1 }, ["dilation along the width", "DilationWidth"] },
        { "zero groups", Valid with { Groups = 0 }, ["group count", "Groups"] },
        { "negative pad", Valid with { PadLeft = -1 }, ["PadLeft", "zero or more", "-1", "cannot crop"] },
        { "pads with same", Valid with { Padding = Padding.Same, PadTop = 1 }, ["Padding.Same", "remove the pads", "Padding.Explicit"] },
        { "pads with valid", Valid with { Padding = Padding.Valid, PadRight = 2 }, ["Padding.Valid", "Padding.Explicit"] },
        { "kernel over the input", Valid with { KernelHeight = 9 }, ["output height would be empty", "input height 8", "effective kernel height 9", "PadTop"] },
        { "dilation over the input", Valid with { DilationWidth = 4 }, ["output width would be empty", "effective kernel width 9", "dilation 4"] },
        { "input channels and groups", Valid with { Groups = 3, OutputChannels = 6 }, ["input channel count 4", "not divisible by Groups = 3"] },
        { "output channels and groups", Valid with { Groups = 4, OutputChannels = 6 }, ["output channel count 6", "not divisible by Groups = 4"] },
        { "undefined padding", Valid with { Padding = (Padding)7 }, ["Padding value 7", "not defined"] },
        { "undefined activation", Valid with { Activation = (Activation)42 }, ["Activation value 42"] },
        { "infinite slope", Valid with { ActivationAlpha = float.PositiveInfinity }, ["ActivationAlpha", "finite"] },
        { "too large", Valid with { InputHeight = 100_000, InputWidth = 100_000 }, ["more than a span can index"] },

        // Sizes whose 32-bit products wrap: checked in 64 bits before any is computed in 32 (they used to wrap into a
        // small, wrong shape: a dilation of 2^30 gave a 5-tap kernel an effective size of 1, and pads of int.MaxValue
        // a one-pixel output).
        { "dilation that wraps", Valid with { KernelHeight = 5, DilationHeight = 1 << 30 }, ["output height would be empty", "effective kernel height 4294967297"] },
        { "dilation past an int", Valid with { KernelWidth = 3, DilationWidth = int.MaxValue }, ["output width would be empty", "effective kernel width 4294967295"] },
        { "pads past an int", Valid with { KernelHeight = 1, PadTop = int.MaxValue, PadBottom = int.MaxValue }, ["padded input would span 4294967302 pixels", "more than an int can index", "smaller pads (PadTop, PadBottom)"] },
        { "same past an int", Valid with { KernelWidth = 3, DilationWidth = 1 << 30, Padding = Padding.Same }, ["Along the width", "effective kernel 2147483649", "smaller dilation or kernel"] },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Invalid_specs_are_rejected_with_a_message_naming_the_problem(string what, ConvSpec spec, string[] phrases)
    {
        _ = what;
        var fromValidate = Assert.ThrowsAny<ArgumentException>(spec.Validate);
        foreach (string phrase in phrases)
        {
            Assert.Contains(phrase, fromValidate.Message, StringComparison.Ordinal);
        }

        Assert.ThrowsAny<ArgumentException>(() => spec.OutputHeight);
        Assert.ThrowsAny<ArgumentException>(() => new ConvLayer(spec, new float[1]));
    }

    [Fact]
    public void Several_problems_are_all_reported()
    {
        var e = Assert.Throws<ArgumentException>((Valid with { InputHeight = 0, StrideWidth = 0 }).Validate);
        Assert.Contains("InputHeight", e.Message, StringComparison.Ordinal);
        Assert.Contains("StrideWidth", e.Message, StringComparison.Ordinal);
        Assert.Equal("InputHeight", e.ParamName);
    }

    [Fact]
    public void Invalid_specs_still_describe_themselves()
    {
        Assert.Contains("0x8x4", (Valid with { InputHeight = 0 }).ToString(), StringComparison.Ordinal);
    }
}

using System;
using System.Collections.Generic;
using System.Text;
using SpecializedConv.Geometry;

namespace SpecializedConv;

/// <summary>
/// The shape of one 2-D convolution over NHWC tensors: sizes, kernel, stride, dilation, padding, groups,
/// bias and activation. The batch size is not part of it: a layer runs any whole number of images.
/// </summary>
/// <remarks>
/// Settings are plain init properties, named as on <see cref="Conv2DAttribute"/>. A spec is not checked when
/// it is built; <see cref="Validate"/>, the computed sizes and every layer's constructor throw an
/// <see cref="ArgumentException"/> that says what is wrong and how to fix it. The geometry (TensorFlow SAME
/// padding, output sizes) is the same code the source generator runs, so both always agree.
/// </remarks>
public sealed record ConvSpec
{
    private readonly Padding? _padding;

    /// <summary>Input rows per image.</summary>
    public int InputHeight { get; init; }

    /// <summary>Input columns per image.</summary>
    public int InputWidth { get; init; }

    /// <summary>Channels of each input pixel.</summary>
    public int InputChannels { get; init; }

    /// <summary>Channels of each output pixel.</summary>
    public int OutputChannels { get; init; }

    /// <summary>Kernel rows.</summary>
    public int KernelHeight { get; init; }

    /// <summary>Kernel columns.</summary>
    public int KernelWidth { get; init; }

    /// <summary>Step between output rows, in input rows. Default 1.</summary>
    public int StrideHeight { get; init; } = 1;

    /// <summary>Step between output columns, in input columns. Default 1.</summary>
    public int StrideWidth { get; init; } = 1;

    /// <summary>Spacing between kernel rows, in input rows. Default 1.</summary>
    public int DilationHeight { get; init; } = 1;

    /// <summary>Spacing between kernel columns, in input columns. Default 1.</summary>
    public int DilationWidth { get; init; } = 1;

    /// <summary>
    /// The padding mode. Left unset it is <see cref="Padding.Explicit"/> when a pad is non-zero, else
    /// <see cref="Padding.Valid"/>; set to <see cref="Padding.Same"/> or <see cref="Padding.Valid"/>, non-zero pads are an error.
    /// </summary>
    public Padding Padding
    {
        get => _padding ?? (PadsGiven ? Padding.Explicit : Padding.Valid);
        init => _padding = value;
    }

    /// <summary>Zero rows above the input, with <see cref="Padding.Explicit"/>.</summary>
    public int PadTop { get; init; }

    /// <summary>Zero rows below the input, with <see cref="Padding.Explicit"/>.</summary>
    public int PadBottom { get; init; }

    /// <summary>Zero columns left of the input, with <see cref="Padding.Explicit"/>.</summary>
    public int PadLeft { get; init; }

    /// <summary>Zero columns right of the input, with <see cref="Padding.Explicit"/>.</summary>
    public int PadRight { get; init; }

    /// <summary>
    /// Channel groups. Default 1. Output channel <c>o</c> reads input channels <c>[g * Cin / G, (g + 1) * Cin / G)</c>
    /// with <c>g = o / (Cout / G)</c>; <c>Groups == InputChannels</c> is a depthwise convolution.
    /// </summary>
    public int Groups { get; init; } = 1;

    /// <summary>Whether a bias of <see cref="OutputChannels"/> floats is added. Default true.</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>The activation applied after the bias. Default <see cref="Activation.None"/>.</summary>
    public Activation Activation { get; init; }

    /// <summary>The slope of <see cref="Activation.LeakyRelu"/> for negative inputs. Default 0.01.</summary>
    public float ActivationAlpha { get; init; } = 0.01f;

    /// <summary>Output rows per image. Throws <see cref="ArgumentException"/> when the spec is invalid.</summary>
    public int OutputHeight => Checked().Height.Output;

    /// <summary>Output columns per image. Throws <see cref="ArgumentException"/> when the spec is invalid.</summary>
    public int OutputWidth => Checked().Width.Output;

    /// <summary>Zero rows above the input in effect (SAME resolved as TensorFlow does).</summary>
    public int ResolvedPadTop => Checked().Height.PadBegin;

    /// <summary>Zero rows below the input in effect (SAME puts the odd row here).</summary>
    public int ResolvedPadBottom => Checked().Height.PadEnd;

    /// <summary>Zero columns left of the input in effect.</summary>
    public int ResolvedPadLeft => Checked().Width.PadBegin;

    /// <summary>Zero columns right of the input in effect (SAME puts the odd column here).</summary>
    public int ResolvedPadRight => Checked().Width.PadEnd;

    /// <summary>Floats in one input image: <c>InputHeight * InputWidth * InputChannels</c>.</summary>
    public int InputLength
    {
        get
        {
            ConvShape shape = Checked();
            return shape.InputHeight * shape.InputWidth * shape.InputChannels;
        }
    }

    /// <summary>Floats in one output image: <c>OutputHeight * OutputWidth * OutputChannels</c>.</summary>
    public int OutputLength
    {
        get
        {
            ConvShape shape = Checked();
            return shape.Height.Output * shape.Width.Output * OutputChannels;
        }
    }

    /// <summary>Floats in the weights, HWIO <c>[KernelHeight, KernelWidth, InputChannels / Groups, OutputChannels]</c>.</summary>
    public int WeightLength => Checked().KernelHeight * KernelWidth * (InputChannels / Groups) * OutputChannels;

    /// <summary>Floats in the bias: <see cref="OutputChannels"/>, or 0 without bias.</summary>
    public int BiasLength => UseBias ? OutputChannels : 0;

    /// <summary>Floating-point operations of one image, a multiply-add counted as two, padded taps included.</summary>
    public long Flops
    {
        get
        {
            ConvShape shape = Checked();
            return ConvGeometry.Flops(shape, OutputChannels, Groups);
        }
    }

    /// <summary>Whether each group reads a single input channel (<c>Groups == InputChannels</c>).</summary>
    public bool IsDepthwise => Groups == InputChannels;

    private bool PadsGiven => PadTop != 0 || PadBottom != 0 || PadLeft != 0 || PadRight != 0;

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem when the spec is not a valid convolution.</summary>
    /// <exception cref="ArgumentException">The spec is invalid; the message says what to change.</exception>
    public void Validate() => Checked();

    /// <summary>The spec in the form shared with the generator.</summary>
    internal ConvShape ToShape() => new()
    {
        InputHeight = InputHeight,
        InputWidth = InputWidth,
        InputChannels = InputChannels,
        OutputChannels = OutputChannels,
        KernelHeight = KernelHeight,
        KernelWidth = KernelWidth,
        StrideHeight = StrideHeight,
        StrideWidth = StrideWidth,
        DilationHeight = DilationHeight,
        DilationWidth = DilationWidth,
        Padding = _padding,
        PadTop = PadTop,
        PadBottom = PadBottom,
        PadLeft = PadLeft,
        PadRight = PadRight,
        PadsGiven = PadsGiven,
        Groups = Groups,
        Activation = Activation,
        ActivationAlpha = ActivationAlpha,
    };

    /// <summary>The validated shape; throws with every problem's message otherwise.</summary>
    internal ConvShape Checked()
    {
        ConvShape shape = ToShape();
        IReadOnlyList<ConvProblem> problems = ConvGeometry.Validate(shape);
        if (problems.Count == 0)
        {
            return shape;
        }

        var message = new StringBuilder("Invalid convolution ").Append(Describe()).Append(':');
        foreach (ConvProblem problem in problems)
        {
            message.Append(' ').Append(problem.Message);
        }

        throw new ArgumentException(message.ToString(), problems[0].Setting.ToString());
    }

    /// <summary>A one-line description of the settings, e.g. <c>28x28x3 -> 32, kernel 3x3, stride 2x2, dilation 1x1, Explicit pads 2,2,2,2</c>.</summary>
    public override string ToString() => "ConvSpec " + Describe();

    private string Describe()
    {
        var text = new StringBuilder()
            .Append(InputHeight).Append('x').Append(InputWidth).Append('x').Append(InputChannels)
            .Append(" -> ").Append(OutputChannels)
            .Append(", kernel ").Append(KernelHeight).Append('x').Append(KernelWidth)
            .Append(", stride ").Append(StrideHeight).Append('x').Append(StrideWidth)
            .Append(", dilation ").Append(DilationHeight).Append('x').Append(DilationWidth)
            .Append(", ").Append(Padding);
        if (PadsGiven)
        {
            text.Append(" pads ").Append(PadTop).Append(',').Append(PadBottom).Append(',').Append(PadLeft).Append(',').Append(PadRight);
        }

        if (Groups != 1)
        {
            text.Append(", groups ").Append(Groups);
        }

        text.Append(UseBias ? ", bias" : ", no bias");
        if (Activation != Activation.None)
        {
            text.Append(", ").Append(Activation);
        }

        return text.ToString();
    }
}

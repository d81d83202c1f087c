using System;

namespace SpecializedConv;

/// <summary>
/// The settings every convolution attribute shares: kernel, stride, dilation, padding, bias and activation.
/// Per-axis settings override the square ones; a setting left unset takes its default.
/// </summary>
/// <remarks>
/// The attributes are read at compile time by the SpecializedConv source generator; at run time they only
/// describe the layer. Invalid settings are compile-time diagnostics (SCONV0xx) on the offending argument.
/// </remarks>
public abstract class ConvAttribute : Attribute
{
    private int? _kernelHeight, _kernelWidth, _strideHeight, _strideWidth, _dilationHeight, _dilationWidth;
    private int? _padTop, _padBottom, _padLeft, _padRight;

    private protected ConvAttribute(int inputHeight, int inputWidth, int inputChannels, int kernelSize)
    {
        InputHeight = inputHeight;
        InputWidth = inputWidth;
        InputChannels = inputChannels;
        KernelSize = kernelSize;
    }

    /// <summary>Input rows per image.</summary>
    public int InputHeight { get; }

    /// <summary>Input columns per image.</summary>
    public int InputWidth { get; }

    /// <summary>Channels of each input pixel.</summary>
    public int InputChannels { get; }

    /// <summary>The square kernel size given to the constructor.</summary>
    public int KernelSize { get; }

    /// <summary>Kernel rows; overrides the constructor's kernel size for the height.</summary>
    public int KernelHeight { get => _kernelHeight ?? KernelSize; set => _kernelHeight = value; }

    /// <summary>Kernel columns; overrides the constructor's kernel size for the width.</summary>
    public int KernelWidth { get => _kernelWidth ?? KernelSize; set => _kernelWidth = value; }

    /// <summary>The stride along both axes. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>The stride along the height; overrides <see cref="Stride"/>.</summary>
    public int StrideHeight { get => _strideHeight ?? Stride; set => _strideHeight = value; }

    /// <summary>The stride along the width; overrides <see cref="Stride"/>.</summary>
    public int StrideWidth { get => _strideWidth ?? Stride; set => _strideWidth = value; }

    /// <summary>The dilation along both axes. Default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>The dilation along the height; overrides <see cref="Dilation"/>.</summary>
    public int DilationHeight { get => _dilationHeight ?? Dilation; set => _dilationHeight = value; }

    /// <summary>The dilation along the width; overrides <see cref="Dilation"/>.</summary>
    public int DilationWidth { get => _dilationWidth ?? Dilation; set => _dilationWidth = value; }

    /// <summary>
    /// The padding mode. Default <see cref="Padding.Valid"/>; pads given with the mode unset mean
    /// <see cref="Padding.Explicit"/>, and pads with an explicit Same or Valid are an error.
    /// </summary>
    public Padding Padding { get; set; }

    /// <summary>Symmetric explicit padding: the same number of zeros on all four sides.</summary>
    public int Pad { get; set; }

    /// <summary>Zero rows above the input; overrides <see cref="Pad"/>.</summary>
    public int PadTop { get => _padTop ?? Pad; set => _padTop = value; }

    /// <summary>Zero rows below the input; overrides <see cref="Pad"/>.</summary>
    public int PadBottom { get => _padBottom ?? Pad; set => _padBottom = value; }

    /// <summary>Zero columns left of the input; overrides <see cref="Pad"/>.</summary>
    public int PadLeft { get => _padLeft ?? Pad; set => _padLeft = value; }

    /// <summary>Zero columns right of the input; overrides <see cref="Pad"/>.</summary>
    public int PadRight { get => _padRight ?? Pad; set => _padRight = value; }

    /// <summary>Whether the layer adds a bias per output channel. Default true.</summary>
    public bool UseBias { get; set; } = true;

    /// <summary>The activation fused after the bias. Default <see cref="Activation.None"/>.</summary>
    public Activation Activation { get; set; }

    /// <summary>The negative slope of <see cref="Activation.LeakyRelu"/>. Default 0.01.</summary>
    public float ActivationAlpha { get; set; } = 0.01f;
}

using System;

namespace SpecializedConv;

/// <summary>
/// Declares a Keras <c>SeparableConv2D</c> layer on a <see langword="partial"/> class: a depthwise convolution
/// (kernel, stride, dilation, padding and <see cref="DepthMultiplier"/> apply to it, without bias) then a
/// pointwise 1x1 convolution to <see cref="OutputChannels"/>; the bias and activation apply after the pointwise
/// step. The generated kernel fuses both steps without materializing the intermediate tensor.
/// </summary>
/// <example>
/// <code>
/// [SeparableConv2D(64, 64, 3, 64, 3, Padding = Padding.Same)]
/// public partial class Separable { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SeparableConv2DAttribute : ConvAttribute
{
    /// <summary>Declares a separable convolution of a <paramref name="inputHeight"/> x <paramref name="inputWidth"/> x <paramref name="inputChannels"/> image.</summary>
    /// <param name="inputHeight">Input rows per image.</param>
    /// <param name="inputWidth">Input columns per image.</param>
    /// <param name="inputChannels">Channels of each input pixel.</param>
    /// <param name="outputChannels">Channels of each output pixel, after the pointwise step.</param>
    /// <param name="kernelSize">The depthwise kernel's size along both axes.</param>
    public SeparableConv2DAttribute(int inputHeight, int inputWidth, int inputChannels, int outputChannels, int kernelSize)
        : base(inputHeight, inputWidth, inputChannels, kernelSize)
    {
        OutputChannels = outputChannels;
    }

    /// <summary>Channels of each output pixel, after the pointwise step.</summary>
    public int OutputChannels { get; }

    /// <summary>Depthwise output channels per input channel. Default 1.</summary>
    public int DepthMultiplier { get; set; } = 1;
}

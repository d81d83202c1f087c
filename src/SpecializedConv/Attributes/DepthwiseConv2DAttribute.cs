using System;

namespace SpecializedConv;

/// <summary>
/// Declares a Keras <c>DepthwiseConv2D</c> layer on a <see langword="partial"/> class: each input channel is
/// convolved with <see cref="DepthMultiplier"/> kernels of its own; output channel <c>c * M + m</c> reads input
/// channel <c>c</c>. Weights are Keras <c>[KernelHeight, KernelWidth, Channels, DepthMultiplier]</c>.
/// </summary>
/// <example>
/// <code>
/// [DepthwiseConv2D(64, 64, 3, 3, Padding = Padding.Same)]
/// public partial class Depthwise { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DepthwiseConv2DAttribute : ConvAttribute
{
    /// <summary>Declares a depthwise convolution of a <paramref name="inputHeight"/> x <paramref name="inputWidth"/> x <paramref name="channels"/> image.</summary>
    /// <param name="inputHeight">Input rows per image.</param>
    /// <param name="inputWidth">Input columns per image.</param>
    /// <param name="channels">Channels of each input pixel.</param>
    /// <param name="kernelSize">The kernel's size along both axes.</param>
    public DepthwiseConv2DAttribute(int inputHeight, int inputWidth, int channels, int kernelSize)
        : base(inputHeight, inputWidth, channels, kernelSize)
    {
    }

    /// <summary>Output channels per input channel. Default 1.</summary>
    public int DepthMultiplier { get; set; } = 1;
}

using System;

namespace SpecializedConv;

/// <summary>
/// Declares a Keras <c>Conv2D</c> layer on a <see langword="partial"/> class: the source generator emits into the
/// class a kernel specialized to this exact shape, the shape constants, a <c>Spec</c> property, a constructor
/// taking HWIO weights <c>[KernelHeight, KernelWidth, InputChannels / Groups, OutputChannels]</c> and the bias,
/// and <see cref="IConvLayer"/>.
/// </summary>
/// <example>
/// <code>
/// [Conv2D(28, 28, 3, 32, 3, Stride = 2, Pad = 2, UseBias = false)]
/// public partial class Stem { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class Conv2DAttribute : ConvAttribute
{
    /// <summary>Declares a convolution of a <paramref name="inputHeight"/> x <paramref name="inputWidth"/> x <paramref name="inputChannels"/> image.</summary>
    /// <param name="inputHeight">Input rows per image.</param>
    /// <param name="inputWidth">Input columns per image.</param>
    /// <param name="inputChannels">Channels of each input pixel.</param>
    /// <param name="outputChannels">Channels of each output pixel (Keras <c>filters</c>).</param>
    /// <param name="kernelSize">The kernel's size along both axes (see <see cref="ConvAttribute.KernelHeight"/> and <see cref="ConvAttribute.KernelWidth"/>).</param>
    public Conv2DAttribute(int inputHeight, int inputWidth, int inputChannels, int outputChannels, int kernelSize)
        : base(inputHeight, inputWidth, inputChannels, kernelSize)
    {
        OutputChannels = outputChannels;
    }

    /// <summary>Channels of each output pixel.</summary>
    public int OutputChannels { get; }

    /// <summary>Channel groups. Default 1; both channel counts must be divisible by it.</summary>
    public int Groups { get; set; } = 1;
}

using System;

namespace SpecializedConv;

/// <summary>A convolution layer over NHWC float tensors: a generated layer or the runtime fallback.</summary>
/// <remarks>Implementations are immutable after construction and safe to call from many threads at once.</remarks>
public interface IConvLayer
{
    /// <summary>Floats in one input image (height x width x channels).</summary>
    int InputLength { get; }

    /// <summary>Floats in one output image (height x width x channels).</summary>
    int OutputLength { get; }

    /// <summary>
    /// Runs the layer on a batch: <paramref name="input"/> holds a positive whole number of images and
    /// <paramref name="output"/> exactly as many output images. Nothing is allocated.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The lengths do not fit; the message names the expected and actual lengths, and nothing has been written.
    /// </exception>
    void Forward(ReadOnlySpan<float> input, Span<float> output);
}

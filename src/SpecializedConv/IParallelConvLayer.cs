using System;

namespace SpecializedConv;

/// <summary>
/// A layer that can spread one call over several cores: every generated layer. One that delegates to the runtime kernel
/// (diagnostic SCONV100: a kernel too wide to specialize, a separable layer with a depth multiplier above 1) runs on the
/// calling thread whatever the thread count.
/// </summary>
public interface IParallelConvLayer : IConvLayer
{
    /// <summary>
    /// Runs the batch on up to <paramref name="threads"/> cores: the calling thread and thread-pool workers share its
    /// images by bands of rows (or of output channels when an image has few rows). The result is bitwise identical to
    /// <see cref="IConvLayer.Forward(ReadOnlySpan{float}, Span{float})"/> whatever the thread count, and nothing is allocated.
    /// </summary>
    /// <param name="input">A positive whole number of input images.</param>
    /// <param name="output">Exactly as many output images.</param>
    /// <param name="threads">The most threads to use, the calling one included; 1 runs on the calling thread alone.</param>
    /// <exception cref="ArgumentException">The lengths do not fit; nothing has been written.</exception>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int threads);
}

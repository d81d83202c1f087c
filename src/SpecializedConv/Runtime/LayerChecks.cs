using System;
using System.ComponentModel;
using SpecializedConv.Geometry;

namespace SpecializedConv.Runtime;

/// <summary>
/// The argument checks every layer runs, generated or fallback, so that all of them reject the same inputs with the
/// same messages, before anything is written. Called by generated layers; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerChecks
{
    /// <summary>
    /// The number of images in <paramref name="input"/>; throws <see cref="ArgumentException"/> unless the
    /// input is a positive whole number of images, the output exactly as many output images, and the two do not overlap.
    /// </summary>
    /// <param name="input">The input batch.</param>
    /// <param name="output">The output batch.</param>
    /// <param name="imageInputLength">Floats in one input image.</param>
    /// <param name="imageOutputLength">Floats in one output image.</param>
    /// <returns>The number of images.</returns>
    public static int Images(ReadOnlySpan<float> input, ReadOnlySpan<float> output, int imageInputLength, int imageOutputLength)
    {
        int images = input.Length / imageInputLength;
        if (images == 0 || input.Length % imageInputLength != 0)
        {
            throw new ArgumentException(
                $"The input holds {T(input.Length)} floats, which is not a positive whole number of images of {T(imageInputLength)} floats (height x width x channels) each.",
                nameof(input));
        }

        if ((long)images * imageOutputLength != output.Length)
        {
            throw new ArgumentException(
                $"The output holds {T(output.Length)} floats, but {T(images)} image{(images == 1 ? "" : "s")} of input need exactly {T((long)images * imageOutputLength)} ({T(images)} x {T(imageOutputLength)}).",
                nameof(output));
        }

        if (input.Overlaps(output))
        {
            throw new ArgumentException("The output overlaps the input; a convolution cannot run in place. Use separate buffers.", nameof(output));
        }

        return images;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="weights"/> holds exactly <paramref name="expected"/> floats.</summary>
    /// <param name="weights">The weights given.</param>
    /// <param name="expected">The floats the layer needs.</param>
    /// <param name="layout">The layout and shape, for the message (e.g. <c>HWIO [3, 3, 3, 32]</c>).</param>
    /// <param name="parameterName">The constructor parameter, for the exception.</param>
    public static void Weights(ReadOnlySpan<float> weights, int expected, string layout, string parameterName)
    {
        if (weights.Length != expected)
        {
            throw new ArgumentException(
                $"The weights hold {T(weights.Length)} floats, but this layer needs {T(expected)}: {layout}.", parameterName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the bias holds one float per output channel, or nothing without bias.</summary>
    /// <param name="bias">The bias given.</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    /// <param name="outputChannels">The layer's output channels.</param>
    /// <param name="parameterName">The constructor parameter, for the exception.</param>
    public static void Bias(ReadOnlySpan<float> bias, bool useBias, int outputChannels, string parameterName)
    {
        if (useBias && bias.Length != outputChannels)
        {
            throw new ArgumentException(
                $"The bias holds {T(bias.Length)} floats, but this layer needs {T(outputChannels)}, one per output channel (or declare it with UseBias = false).", parameterName);
        }

        if (!useBias && !bias.IsEmpty)
        {
            throw new ArgumentException(
                $"The bias must be empty because the layer has UseBias = false, but it holds {T(bias.Length)} floats.", parameterName);
        }
    }

    /// <summary>The HWIO shape of a spec's weights, for messages.</summary>
    internal static string HwioLayout(ConvSpec spec) =>
        $"HWIO [{T(spec.KernelHeight)}, {T(spec.KernelWidth)}, {T(spec.InputChannels / spec.Groups)}, {T(spec.OutputChannels)}]";

    private static string T(long value) => ConvGeometry.Text(value);
}

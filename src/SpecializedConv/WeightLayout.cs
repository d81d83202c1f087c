using System;
using SpecializedConv.Geometry;

namespace SpecializedConv;

/// <summary>
/// Converts weights from PyTorch and ONNX, whose convolutions store <c>[out, in / groups, kernel height, kernel width]</c>
/// (OIHW), to the Keras layout every SpecializedConv layer takes: <c>[kernel height, kernel width, in / groups, out]</c> (HWIO).
/// </summary>
public static class WeightLayout
{
    /// <summary>Copies OIHW weights into HWIO order.</summary>
    /// <param name="oihw">PyTorch/ONNX weights <c>[outputChannels, inputChannelsPerGroup, kernelHeight, kernelWidth]</c>.</param>
    /// <param name="hwio">Receives <c>[kernelHeight, kernelWidth, inputChannelsPerGroup, outputChannels]</c>; same length.</param>
    /// <param name="outputChannels">Output channels (O).</param>
    /// <param name="inputChannelsPerGroup">Input channels per group (I): the input channels divided by the groups, 1 for depthwise.</param>
    /// <param name="kernelHeight">Kernel rows (H).</param>
    /// <param name="kernelWidth">Kernel columns (W).</param>
    /// <exception cref="ArgumentException">A length does not match the dimensions, or the spans overlap.</exception>
    public static void OihwToHwio(ReadOnlySpan<float> oihw, Span<float> hwio, int outputChannels, int inputChannelsPerGroup, int kernelHeight, int kernelWidth)
    {
        int taps = CheckedLength(oihw, hwio, nameof(oihw), nameof(hwio), outputChannels, inputChannelsPerGroup, kernelHeight, kernelWidth);
        for (int o = 0; o < outputChannels; o++)
        {
            for (int i = 0; i < inputChannelsPerGroup; i++)
            {
                for (int tap = 0; tap < taps; tap++)
                {
                    hwio[(((tap * inputChannelsPerGroup) + i) * outputChannels) + o] = oihw[(((o * inputChannelsPerGroup) + i) * taps) + tap];
                }
            }
        }
    }

    /// <summary>Returns OIHW weights in HWIO order, the dimensions taken from <paramref name="spec"/>.</summary>
    /// <exception cref="ArgumentException">The spec is invalid or the length does not match it.</exception>
    public static float[] OihwToHwio(ConvSpec spec, ReadOnlySpan<float> oihw)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var hwio = new float[oihw.Length];
        OihwToHwio(oihw, hwio, spec.OutputChannels, spec.InputChannels / spec.Groups, spec.KernelHeight, spec.KernelWidth);
        return hwio;
    }

    /// <summary>
    /// Returns PyTorch/ONNX depthwise weights <c>[channels x multiplier, 1, kernelHeight, kernelWidth]</c> in the Keras
    /// depthwise layout <c>[kernelHeight, kernelWidth, channels, multiplier]</c> (the same floats as HWIO <c>[KH, KW, 1, C x M]</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The length does not match the dimensions.</exception>
    public static float[] DepthwiseOihwToHwio(ReadOnlySpan<float> oihw, int channels, int depthMultiplier, int kernelHeight, int kernelWidth)
    {
        var hwio = new float[oihw.Length];
        OihwToHwio(oihw, hwio, channels * depthMultiplier, 1, kernelHeight, kernelWidth);
        return hwio;
    }

    /// <summary>Copies HWIO weights into OIHW order (to export to PyTorch or ONNX).</summary>
    /// <exception cref="ArgumentException">A length does not match the dimensions, or the spans overlap.</exception>
    public static void HwioToOihw(ReadOnlySpan<float> hwio, Span<float> oihw, int outputChannels, int inputChannelsPerGroup, int kernelHeight, int kernelWidth)
    {
        int taps = CheckedLength(hwio, oihw, nameof(hwio), nameof(oihw), outputChannels, inputChannelsPerGroup, kernelHeight, kernelWidth);
        for (int o = 0; o < outputChannels; o++)
        {
            for (int i = 0; i < inputChannelsPerGroup; i++)
            {
                for (int tap = 0; tap < taps; tap++)
                {
                    oihw[(((o * inputChannelsPerGroup) + i) * taps) + tap] = hwio[(((tap * inputChannelsPerGroup) + i) * outputChannels) + o];
                }
            }
        }
    }

    /// <summary>Checks the dimensions and both lengths before anything is written; exceptions name the caller's parameters.</summary>
    private static int CheckedLength(ReadOnlySpan<float> source, ReadOnlySpan<float> destination, string sourceName, string destinationName, int outputChannels, int inputChannelsPerGroup, int kernelHeight, int kernelWidth)
    {
        if (outputChannels <= 0 || inputChannelsPerGroup <= 0 || kernelHeight <= 0 || kernelWidth <= 0)
        {
            throw new ArgumentException(
                $"Every dimension must be at least 1, but they are O = {outputChannels}, I = {inputChannelsPerGroup}, H = {kernelHeight}, W = {kernelWidth}.");
        }

        long expected = (long)outputChannels * inputChannelsPerGroup * kernelHeight * kernelWidth;
        if (source.Length != expected)
        {
            throw new ArgumentException(
                $"The source weights hold {ConvGeometry.Text(source.Length)} floats, but {outputChannels} x {inputChannelsPerGroup} x {kernelHeight} x {kernelWidth} = {ConvGeometry.Text(expected)}.",
                sourceName);
        }

        if (destination.Length != expected)
        {
            throw new ArgumentException(
                $"The destination holds {ConvGeometry.Text(destination.Length)} floats, but the weights need {ConvGeometry.Text(expected)}.", destinationName);
        }

        if (source.Overlaps(destination))
        {
            throw new ArgumentException("The destination overlaps the source; the conversion cannot run in place.", destinationName);
        }

        return kernelHeight * kernelWidth;
    }
}

using System;
using SpecializedConv.Geometry;

namespace SpecializedConv;

/// <summary>
/// Folds an inference-mode batch normalization that follows a convolution into the convolution's weights and bias:
/// with <c>s = gamma / sqrt(variance + epsilon)</c>, <c>w' = w * s</c> per output channel and <c>b' = (b - mean) * s + beta</c>.
/// The folded layer computes the convolution and the normalization in one pass.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>Folds the normalization into <paramref name="weights"/> and <paramref name="bias"/> in place.</summary>
    /// <param name="weights">HWIO weights, or any layout whose last dimension is the output channel (Keras depthwise too).</param>
    /// <param name="bias">The convolution's bias, one float per output channel: zeros when the convolution had none.</param>
    /// <param name="gamma">The normalization's scale per channel.</param>
    /// <param name="beta">The normalization's offset per channel.</param>
    /// <param name="mean">The moving mean per channel.</param>
    /// <param name="variance">The moving variance per channel.</param>
    /// <param name="epsilon">The normalization's epsilon: Keras defaults to 1e-3, PyTorch to 1e-5.</param>
    /// <exception cref="ArgumentException">A length does not match the channel count, or epsilon is negative.</exception>
    public static void FoldInPlace(Span<float> weights, Span<float> bias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon)
    {
        int channels = bias.Length;
        if (channels == 0 || weights.Length % channels != 0)
        {
            throw new ArgumentException(
                $"The bias holds {ConvGeometry.Text(channels)} floats, one per output channel, so the weights must hold a positive multiple of that; they hold {ConvGeometry.Text(weights.Length)}.",
                nameof(bias));
        }

        SameLength(gamma, channels, nameof(gamma));
        SameLength(beta, channels, nameof(beta));
        SameLength(mean, channels, nameof(mean));
        SameLength(variance, channels, nameof(variance));
        if (!(epsilon >= 0))
        {
            throw new ArgumentException($"Epsilon must be zero or more, but is {epsilon}.", nameof(epsilon));
        }

        Span<float> scale = channels <= 1024 ? stackalloc float[channels] : new float[channels];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = (float)(gamma[c] / Math.Sqrt((double)variance[c] + epsilon));
            bias[c] = (float)(((double)bias[c] - mean[c]) * scale[c]) + beta[c];
        }

        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] *= scale[i % channels];
        }
    }

    /// <summary>Returns folded copies of the weights and bias; an empty <paramref name="bias"/> means the convolution had none.</summary>
    /// <exception cref="ArgumentException">A length does not match the channel count, or epsilon is negative.</exception>
    public static (float[] Weights, float[] Bias) Fold(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon)
    {
        float[] foldedWeights = weights.ToArray();
        float[] foldedBias = bias.IsEmpty ? new float[gamma.Length] : bias.ToArray();
        FoldInPlace(foldedWeights, foldedBias, gamma, beta, mean, variance, epsilon);
        return (foldedWeights, foldedBias);
    }

    private static void SameLength(ReadOnlySpan<float> values, int channels, string name)
    {
        if (values.Length != channels)
        {
            throw new ArgumentException($"{name} holds {ConvGeometry.Text(values.Length)} floats, but the layer has {ConvGeometry.Text(channels)} output channels.", name);
        }
    }
}

using System;
using Xunit;

namespace SpecializedConv.Tests;

/// <summary>Valid shapes whose offsets pass 2^31 floats before they come back into the input: computed in 64 bits.</summary>
public class ExtremeShapeTests
{
    [Fact]
    public void A_pad_times_the_channels_past_an_int_reads_the_right_pixels()
    {
        // 2^20 channels and 4096 pixels of left padding: the interior's first pixel lies -4096 x 2^20 = -2^32 floats from
        // where the padded row starts. In 32 bits that wrapped to 0, and the kernel read 2^32 floats past the input.
        const int channels = 1 << 20, width = 16, pad = 4096;
        var spec = new ConvSpec
        {
            InputHeight = 1, InputWidth = width, InputChannels = channels, OutputChannels = 1, KernelHeight = 1, KernelWidth = 1,
            PadLeft = pad,
        };
        float[] weights = new float[channels], input = new float[width * channels];
        var random = new Random(3);
        for (int c = 0; c < channels; c++)
        {
            weights[c] = (float)random.NextDouble() - 0.5f;
        }

        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)random.NextDouble() - 0.5f;
        }

        var layer = new ConvLayer(spec, weights, [0.25f]);
        float[] output = new float[layer.OutputLength];
        layer.Forward(input, output);

        Assert.Equal(pad + width, output.Length);
        Assert.All(output.AsSpan(0, pad).ToArray(), y => Assert.Equal(0.25f, y));
        for (int pixel = 0; pixel < width; pixel++)
        {
            double expected = 0.25, magnitude = 0;
            for (int c = 0; c < channels; c++)
            {
                double product = (double)input[(pixel * channels) + c] * weights[c];
                expected += product;
                magnitude += Math.Abs(product);
            }

            Assert.True(Math.Abs(output[pad + pixel] - expected) <= 1e-5 * magnitude, $"pixel {pixel}: {output[pad + pixel]}, expected {expected}");
        }
    }
}

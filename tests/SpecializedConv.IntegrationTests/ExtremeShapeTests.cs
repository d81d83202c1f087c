using System;
using Xunit;

namespace SpecializedConv.IntegrationTests;

/// <summary>2^20 channels and 4096 pixels of left padding: offsets of -2^32 floats before they come back into the input.</summary>
[Conv2D(1, 16, 1 << 20, 1, 1, PadLeft = 4096)]
public partial class PaddedPastAnInt;

/// <summary>A generated layer whose offsets pass 2^31 floats, against the runtime layer and a double-precision sum.</summary>
public class ExtremeShapeTests
{
    [Fact]
    public void A_pad_times_the_channels_past_an_int_reads_the_right_pixels()
    {
        const int channels = 1 << 20, width = 16, pad = 4096;
        var random = new Random(3);
        float[] weights = Conformance.Uniform(random, PaddedPastAnInt.WeightLength), input = Conformance.Uniform(random, width * channels);
        var generated = new PaddedPastAnInt(weights, [0.25f]);
        var runtime = new ConvLayer(generated.Spec, weights, [0.25f]);
        float[] fromGenerated = new float[generated.OutputLength], fromRuntime = new float[runtime.OutputLength];
        generated.Forward(input, fromGenerated);
        runtime.Forward(input, fromRuntime);

        Assert.Equal(pad + width, fromGenerated.Length);
        for (int pixel = 0; pixel < pad + width; pixel++)
        {
            double expected = 0.25, magnitude = 0;
            for (int c = 0; pixel >= pad && c < channels; c++)
            {
                double product = (double)input[((pixel - pad) * channels) + c] * weights[c];
                expected += product;
                magnitude += Math.Abs(product);
            }

            Assert.True(Math.Abs(fromGenerated[pixel] - expected) <= 1e-5 * magnitude && Math.Abs(fromRuntime[pixel] - expected) <= 1e-5 * magnitude,
                $"pixel {pixel}: generated {fromGenerated[pixel]}, runtime {fromRuntime[pixel]}, expected {expected}");
        }
    }
}

using System;
using Xunit;

namespace SpecializedConv.Tests;

/// <summary>
/// NaN and infinities through the runtime kernels and the activations, with the values TensorFlow and PyTorch give: a NaN
/// stays NaN whatever the activation (it used to come out 0, even with none), and Relu of minus infinity is 0 (it used to
/// be NaN, from 0 x infinity).
/// </summary>
public class NonFiniteTests
{
    public static TheoryData<Activation, float, float> Cases => new()
    {
        // activation, f(NaN) is NaN for all; f(-inf), f(+inf)
        { Activation.None, float.NegativeInfinity, float.PositiveInfinity },
        { Activation.Relu, 0f, float.PositiveInfinity },
        { Activation.Relu6, 0f, 6f },
        { Activation.LeakyRelu, float.NegativeInfinity, float.PositiveInfinity },
        { Activation.Sigmoid, 0f, 1f },
        { Activation.Tanh, -1f, 1f },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Direct_and_depthwise_kernels_keep_NaN_and_clamp_infinities(Activation activation, float ofMinusInfinity, float ofPlusInfinity)
    {
        // 20 output channels: a full vector and a masked tail on every path; a 3x3 window over one non-finite pixel, so
        // every output pixel's accumulator holds it. Every weight is 1 and the bias 0: a zero weight would turn an infinity
        // into NaN in the sum itself (as it does in TensorFlow), so the direct layer reads one input channel.
        foreach (bool depthwise in new[] { false, true })
        {
            var spec = new ConvSpec
            {
                InputHeight = 3, InputWidth = 3, InputChannels = depthwise ? 20 : 1, OutputChannels = 20, Groups = depthwise ? 20 : 1,
                KernelHeight = 3, KernelWidth = 3, Padding = Padding.Same, Activation = activation, ActivationAlpha = 0.2f,
            };
            float[] weights = new float[spec.WeightLength], bias = new float[20];
            Array.Fill(weights, 1f);

            var layer = new ConvLayer(spec, weights, bias);
            foreach ((float value, float expected) in new[] { (float.NaN, float.NaN), (float.NegativeInfinity, ofMinusInfinity), (float.PositiveInfinity, ofPlusInfinity) })
            {
                float[] input = new float[spec.InputLength], output = new float[spec.OutputLength];
                input.AsSpan(4 * spec.InputChannels, spec.InputChannels).Fill(value); // the centre pixel, in every output pixel's window
                layer.Forward(input, output);
                foreach (float y in output)
                {
                    Assert.True(float.IsNaN(expected) ? float.IsNaN(y) : y == expected,
                        $"{(depthwise ? "depthwise" : "direct")} {activation} of {value}: {y}, expected {expected}");
                }
            }
        }
    }
}

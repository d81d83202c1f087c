using System;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.Tests;

public class BatchNormFoldingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_folded_layer_equals_convolution_then_batch_norm(bool depthwise)
    {
        var spec = new ConvSpec
        {
            InputHeight = 6, InputWidth = 5, InputChannels = 4, OutputChannels = depthwise ? 8 : 7, Groups = depthwise ? 4 : 1,
            KernelHeight = 3, KernelWidth = 3, Padding = Padding.Same,
        };
        var random = new Random(5);
        int c = spec.OutputChannels;
        float[] input = ConvCase.Uniform(random, spec.InputLength), weights = ConvCase.Uniform(random, spec.WeightLength), bias = ConvCase.Uniform(random, c);
        float[] gamma = ConvCase.Uniform(random, c), beta = ConvCase.Uniform(random, c), mean = ConvCase.Uniform(random, c);
        float[] variance = Array.ConvertAll(ConvCase.Uniform(random, c), v => v + 1.5f);
        const float epsilon = 1e-3f;

        var (plain, magnitude) = ReferenceConvolution.Run(spec, input, 1, weights, bias);
        var expected = new float[plain.Length];
        for (int i = 0; i < plain.Length; i++)
        {
            int o = i % c;
            expected[i] = (float)((gamma[o] * (plain[i] - (double)mean[o]) / Math.Sqrt(variance[o] + (double)epsilon)) + beta[o]);
        }

        var (foldedWeights, foldedBias) = BatchNormFolding.Fold(weights, bias, gamma, beta, mean, variance, epsilon);
        var layer = new ConvLayer(spec, foldedWeights, foldedBias);
        var output = new float[layer.OutputLength];
        layer.Forward(input, output);
        Tolerance.AssertClose(output, expected, Array.ConvertAll(magnitude, m => m * 4), "folded");
    }

    [Fact]
    public void Folding_without_a_bias_starts_from_zero()
    {
        float[] weights = [1, 2, 3, 4];
        var (w, b) = BatchNormFolding.Fold(weights, [], gamma: [2, 1], beta: [1, 0], mean: [1, 2], variance: [3, 0], epsilon: 1);
        Assert.Equal([1, 2, 3, 4], weights); // the source is left alone
        Assert.Equal([1, 2, 3, 4], w);
        Assert.Equal([0, -2], b);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchNormFolding.Fold(new float[6], new float[2], [1, 1], [0, 0], [0], [1, 1], 1e-3f));
        Assert.Equal("mean", e.ParamName);
        Assert.Throws<ArgumentException>(() => BatchNormFolding.FoldInPlace(new float[5], new float[2], [1, 1], [0, 0], [0, 0], [1, 1], 1e-3f));
        Assert.Throws<ArgumentException>(() => BatchNormFolding.Fold(new float[6], new float[2], [1, 1], [0, 0], [0, 0], [1, 1], -1f));
    }
}

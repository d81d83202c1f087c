using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace SpecializedConv.IntegrationTests;

/// <summary>Every generated layer against the runtime layer and the reference loop, on this process's widest path.</summary>
public class GeneratedLayerTests
{
    public static TheoryData<string> Names => new(GeneratedLayers.All.Select(c => c.Name));

    private static GeneratedCase Find(string name) => GeneratedLayers.All.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Generated_layer_matches_the_runtime_layer_and_the_reference(string name)
    {
        string? problem = Conformance.Check(Find(name));
        Assert.True(problem is null, problem);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_NaN_reaches_the_same_outputs_as_in_the_reference(string name)
    {
        // Every output whose window reads the NaN pixel is NaN, whatever the activation: the generated kernels, the
        // runtime's and the reference loop agree (the runtime's turned it into 0, even without an activation).
        GeneratedCase c = Find(name);
        var random = new Random(9);
        float[] weights = Conformance.Uniform(random, c.WeightLength), second = Conformance.Uniform(random, c.SecondWeightLength), bias = Conformance.Uniform(random, c.BiasLength);
        IConvLayer generated = c.Create(weights, second, bias), runtime = c.Runtime(weights, second, bias);
        float[] input = Conformance.Uniform(random, generated.InputLength);
        // The first pixel, and one a third of the way in (a strided layer skips some pixels, a dilated one some taps).
        int channels = runtime is ConvLayer layer ? layer.Spec.InputChannels : ((SeparableConvLayer)runtime).DepthwiseSpec.InputChannels;
        input.AsSpan(0, channels).Fill(float.NaN);
        input.AsSpan(input.Length / channels / 3 * channels, channels).Fill(float.NaN);

        float[] fromGenerated = new float[generated.OutputLength], fromRuntime = new float[generated.OutputLength];
        generated.Forward(input, fromGenerated);
        runtime.Forward(input, fromRuntime);
        float[] expected = c.Reference(input, 1, weights, second, bias).Output;
        int nans = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            bool nan = float.IsNaN(expected[i]);
            nans += nan ? 1 : 0;
            Assert.True(nan == float.IsNaN(fromGenerated[i]) && nan == float.IsNaN(fromRuntime[i]),
                $"{name} ({c.Activation}) output {i}: reference {expected[i]}, generated {fromGenerated[i]}, runtime {fromRuntime[i]}");
        }

        Assert.True(nans > 0, $"{name}: no output read the NaN pixel");
    }

    [Fact]
    public void The_suite_has_at_least_40_generated_layers() => Assert.True(GeneratedLayers.All.Count >= 40);

    [Theory]
    [MemberData(nameof(Names))]
    public void Wrong_lengths_are_rejected_before_anything_is_written(string name)
    {
        GeneratedCase c = Find(name);
        IConvLayer layer = c.Create(new float[c.WeightLength], new float[c.SecondWeightLength], new float[c.BiasLength]);
        var output = Enumerable.Repeat(7f, layer.OutputLength).ToArray();
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new float[layer.InputLength + 1], output));
        Assert.Contains($"whole number of images of {layer.InputLength} floats", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => layer.Forward(new float[layer.InputLength], output.AsSpan(1)));
        Assert.Contains($"exactly {layer.OutputLength}", e.Message, StringComparison.Ordinal);
        Assert.All(output, v => Assert.Equal(7f, v));

        e = Assert.Throws<ArgumentException>(() => c.Create(new float[c.WeightLength + 1], new float[c.SecondWeightLength], new float[c.BiasLength]));
        Assert.Contains($"weights hold {c.WeightLength + 1} floats, but this layer needs {c.WeightLength}", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => c.Create(new float[c.WeightLength], new float[c.SecondWeightLength], new float[c.BiasLength + 1]));
        Assert.Contains("bias", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_instance_serves_many_threads_with_the_single_threaded_result()
    {
        foreach (GeneratedCase c in GeneratedLayers.All.Where(c => c.Name is "SeedSeparable" or "ResNetLike" or "DepthwiseChannelTail" or "DirectSilu"))
        {
            var random = new Random(5);
            IConvLayer layer = c.Create(Conformance.Uniform(random, c.WeightLength), Conformance.Uniform(random, c.SecondWeightLength), Conformance.Uniform(random, c.BiasLength));
            float[][] inputs = Enumerable.Range(0, 4).Select(_ => Conformance.Uniform(random, layer.InputLength)).ToArray();
            float[][] expected = inputs.Select(input =>
            {
                var output = new float[layer.OutputLength];
                layer.Forward(input, output);
                return output;
            }).ToArray();
            System.Threading.Tasks.Parallel.For(0, 32, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                var output = new float[layer.OutputLength];
                for (int repeat = 0; repeat < 10; repeat++)
                {
                    layer.Forward(inputs[i % 4], output);
                    Assert.Equal(expected[i % 4], output);
                }
            });
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Parallel_forward_is_bitwise_identical_whatever_the_thread_count(string name)
    {
        GeneratedCase c = Find(name);
        var random = new Random(13);
        var layer = (IParallelConvLayer)c.Create(Conformance.Uniform(random, c.WeightLength), Conformance.Uniform(random, c.SecondWeightLength), Conformance.Uniform(random, c.BiasLength));
        float[] input = Conformance.Uniform(random, 3 * layer.InputLength);
        var expected = new float[3 * layer.OutputLength];
        layer.Forward(input, expected);
        foreach (int threads in new[] { 1, 2, 3, 4, 16 })
        {
            var output = new float[expected.Length];
            layer.Forward(input, output, threads);
            Assert.True(expected.AsSpan().SequenceEqual(output), $"{name} on {threads} threads differs from the single-threaded call");
            var oneImage = new float[layer.OutputLength];
            layer.Forward(input.AsSpan(0, layer.InputLength), oneImage, threads);
            Assert.True(expected.AsSpan(0, layer.OutputLength).SequenceEqual(oneImage), $"{name}, one image on {threads} threads");
        }

        var untouched = Enumerable.Repeat(3f, layer.OutputLength).ToArray();
        Assert.Throws<ArgumentException>(() => layer.Forward(input.AsSpan(1), untouched, 2));
        Assert.All(untouched, v => Assert.Equal(3f, v));
    }
}

using System;
using System.Linq;
using System.Threading.Tasks;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.Tests;

public class ConcurrencyAndAllocationTests
{
    private static readonly ConvSpec[] Specs =
    [
        new() { InputHeight = 17, InputWidth = 13, InputChannels = 5, OutputChannels = 37, KernelHeight = 3, KernelWidth = 3, Padding = Padding.Same, Activation = Activation.Relu },
        new() { InputHeight = 12, InputWidth = 12, InputChannels = 24, OutputChannels = 24, Groups = 24, KernelHeight = 3, KernelWidth = 3, Padding = Padding.Same, Activation = Activation.Silu },
        new() { InputHeight = 9, InputWidth = 9, InputChannels = 40, OutputChannels = 70, KernelHeight = 1, KernelWidth = 1, Activation = Activation.Tanh },
    ];

    [Fact]
    public void One_instance_called_from_many_threads_gives_every_thread_the_single_threaded_result()
    {
        foreach (ConvSpec spec in Specs)
        {
            var random = new Random(11);
            float[] weights = ConvCase.Uniform(random, spec.WeightLength), bias = ConvCase.Uniform(random, spec.OutputChannels);
            var layer = new ConvLayer(spec, weights, bias);
            float[][] inputs = Enumerable.Range(0, 8).Select(_ => ConvCase.Uniform(random, spec.InputLength)).ToArray();
            float[][] expected = inputs.Select(input =>
            {
                var output = new float[layer.OutputLength];
                layer.Forward(input, output);
                return output;
            }).ToArray();

            Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                var output = new float[layer.OutputLength];
                for (int repeat = 0; repeat < 20; repeat++)
                {
                    layer.Forward(inputs[i % 8], output);
                    Assert.Equal(expected[i % 8], output);
                }
            });
        }
    }

    [Fact]
    public void Forward_allocates_nothing_once_warm()
    {
        foreach (ConvSpec spec in Specs)
        {
            var layer = new ConvLayer(spec, new float[spec.WeightLength], new float[spec.OutputChannels]);
            AssertNoAllocation(layer);
        }

        var depthwise = Specs[1] with { Activation = Activation.None, UseBias = false };
        var pointwise = new ConvSpec { InputHeight = 12, InputWidth = 12, InputChannels = 24, OutputChannels = 30, KernelHeight = 1, KernelWidth = 1 };
        AssertNoAllocation(new SeparableConvLayer(depthwise, pointwise, new float[depthwise.WeightLength], new float[pointwise.WeightLength], new float[30]));
    }

    private static void AssertNoAllocation(IConvLayer layer)
    {
        float[] input = new float[3 * layer.InputLength], output = new float[3 * layer.OutputLength];
        // Past tiering: the runtime recompiles small tier-0 methods after 30 calls and 100 ms of quiet, in the
        // background; measuring in the middle of that would count the runtime's work, not the layer's.
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < 60; i++)
            {
                layer.Forward(input, output);
            }

            System.Threading.Thread.Sleep(250);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            layer.Forward(input, output);
        }

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before == 0, $"{layer} allocated {GC.GetAllocatedBytesForCurrentThread() - before} bytes in 100 calls: {(layer as ConvLayer)?.Spec}");
    }
}

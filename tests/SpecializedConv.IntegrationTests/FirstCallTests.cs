using System;
using System.Runtime;
using Xunit;

namespace SpecializedConv.IntegrationTests;

// Layers constructed by this test class only, so that nothing else in the process has run (and compiled) them before.
[Conv2D(9, 11, 5, 24, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class FirstCallDirect;

[DepthwiseConv2D(10, 12, 80, 3, Stride = 2, Padding = Padding.Same)]
public partial class FirstCallDepthwise;

[SeparableConv2D(8, 8, 16, 32, 3, Padding = Padding.Same, Activation = Activation.Silu)]
public partial class FirstCallSeparable;

// Row methods chosen by where the input lies against the cache lines (plain loads on a line boundary, realigned off it).
[DepthwiseConv2D(10, 12, 256, 3, Stride = 2, Padding = Padding.Same)]
public partial class FirstCallRealigned;

// Plans chosen by where the input lies (read in place on a line boundary, in place with vectors cut at the line
// boundaries an even number of floats past one, staged an odd number past).
[DepthwiseConv2D(6, 6, 512, 3, Padding = Padding.Same)]
public partial class FirstCallOnLine;

/// <summary>Under the JIT the constructor makes the kernels ready: the first Forward compiles nothing.</summary>
public class FirstCallTests
{
    [Fact]
    public void The_first_Forward_after_construction_compiles_no_method()
    {
        Check(() => new FirstCallDirect(new float[FirstCallDirect.WeightLength], new float[FirstCallDirect.BiasLength]));
        Check(() => new FirstCallDepthwise(new float[FirstCallDepthwise.WeightLength], new float[FirstCallDepthwise.BiasLength]));
        Check(() => new FirstCallSeparable(
            new float[FirstCallSeparable.DepthwiseWeightLength], new float[FirstCallSeparable.PointwiseWeightLength], new float[FirstCallSeparable.BiasLength]));
    }

    [Fact]
    public void The_first_Forward_compiles_no_method_on_or_off_a_cache_line()
    {
        foreach (int lineOffset in new[] { 0, 2, 1 })
        {
            IConvLayer[] layers =
            [
                new FirstCallRealigned(new float[FirstCallRealigned.WeightLength], new float[FirstCallRealigned.BiasLength]),
                new FirstCallOnLine(new float[FirstCallOnLine.WeightLength], new float[FirstCallOnLine.BiasLength]),
            ];
            foreach (IConvLayer layer in layers)
            {
                ReadOnlySpan<float> input = Conformance.AtLineOffset(new float[layer.InputLength], lineOffset);

                // The output well away from the input modulo 4 KiB: FirstCallOnLine runs other kernels where it lies just
                // past (the warm-up's own placement of the output once left these to this call, 3 methods).
                Span<float> output = TensorBuffer.AllocateApartFrom(input, layer.OutputLength, 2048 + 512);
                long before = JitInfo.GetCompiledMethodCount(currentThread: true);
                layer.Forward(input, output);
                long compiled = JitInfo.GetCompiledMethodCount(currentThread: true) - before;
                Assert.True(compiled == 0, $"{layer.GetType().Name}, input {lineOffset} floats past a line: the first Forward compiled {compiled} methods");
            }
        }
    }

    private static void Check(Func<IConvLayer> create)
    {
        IConvLayer layer = create();
        float[] input = new float[layer.InputLength], output = new float[layer.OutputLength];
        long before = JitInfo.GetCompiledMethodCount(currentThread: true);
        layer.Forward(input, output);
        long compiled = JitInfo.GetCompiledMethodCount(currentThread: true) - before;
        Assert.True(compiled == 0, $"{layer.GetType().Name}: the first Forward compiled {compiled} methods");
    }
}

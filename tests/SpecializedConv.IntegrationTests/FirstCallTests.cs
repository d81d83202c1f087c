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

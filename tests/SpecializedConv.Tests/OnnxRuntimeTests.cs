using CsCheck;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.Tests;

/// <summary>The fallback against ONNX Runtime, an oracle that shares no code with this repository.</summary>
public class OnnxRuntimeTests
{
    [Fact]
    public void Fallback_matches_OnnxRuntime_on_60_random_specs()
    {
        ConvCases.All.Sample(convCase =>
        {
            var (input, weights, bias) = convCase.Data();
            float[] expected = OnnxRuntimeOracle.Run(convCase.Spec, input, convCase.Images, weights, bias);
            var (_, magnitude) = ReferenceConvolution.Run(convCase.Spec, input, convCase.Images, weights, bias);
            var layer = new ConvLayer(convCase.Spec, weights, bias);
            var output = new float[convCase.Images * layer.OutputLength];
            layer.Forward(input, output);
            Tolerance.AssertClose(output, expected, magnitude, convCase.ToString(), convCase.Spec.Activation, convCase.Spec.ActivationAlpha);
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void The_reference_loop_agrees_with_OnnxRuntime_so_both_oracles_mean_the_same_convolution()
    {
        ConvCases.All.Sample(convCase =>
        {
            var (input, weights, bias) = convCase.Data();
            float[] onnx = OnnxRuntimeOracle.Run(convCase.Spec, input, convCase.Images, weights, bias);
            var (reference, magnitude) = ReferenceConvolution.Run(convCase.Spec, input, convCase.Images, weights, bias);
            Tolerance.AssertClose(reference, onnx, magnitude, convCase.ToString(), convCase.Spec.Activation, convCase.Spec.ActivationAlpha);
        }, iter: 30, threads: 1);
    }
}

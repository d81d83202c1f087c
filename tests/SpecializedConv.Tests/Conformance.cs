using System;
using System.IO;
using CsCheck;
using SpecializedConv.Simd;
using SpecializedConv.Tests.Oracles;

namespace SpecializedConv.Tests;

/// <summary>
/// The conformance suite the child processes of <see cref="SimdPathTests"/> run under a narrowed instruction set: the
/// fallback on random specs and separable layers against the reference, on the widest path the process has.
/// </summary>
public static class Conformance
{
    public static int Run(TextWriter output)
    {
        output.WriteLine($"path: {VectorPaths.Best}");
        try
        {
            ConvCases.All.Sample(convCase =>
            {
                var (input, weights, bias) = convCase.Data();
                var (expected, magnitude) = ReferenceConvolution.Run(convCase.Spec, input, convCase.Images, weights, bias);
                var layer = new ConvLayer(convCase.Spec, weights, bias);
                var result = new float[convCase.Images * layer.OutputLength];
                layer.Forward(input, result);
                Tolerance.AssertClose(result, expected, magnitude, convCase.ToString(), convCase.Spec.Activation, convCase.Spec.ActivationAlpha);
            }, iter: 500, threads: 1);
            new SeparableConvLayerTests().Separable_layers_match_depthwise_then_pointwise_on_300_random_specs();
            new ConcurrencyAndAllocationTests().Forward_allocates_nothing_once_warm();
        }
        catch (Exception e)
        {
            output.WriteLine("FAILED: " + e.Message);
            return 1;
        }

        output.WriteLine("conformance: passed");
        return 0;
    }
}

public static class Program
{
    public static int Main(string[] args) => args.Length == 0 ? 0
        : args[0] == "conformance" ? Conformance.Run(Console.Out)
        : args[0] == BusyThreadPool.Argument ? BusyThreadPool.Run(Console.Out)
        : 0;
}

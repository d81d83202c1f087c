using System;
using CsCheck;
using SpecializedConv.Simd;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.Tests;

/// <summary>The fallback against the double-precision reference on random valid specs, on every SIMD path of this process.</summary>
public class ConvLayerPropertyTests
{
    [Fact]
    public void Fallback_matches_the_reference_on_1000_random_specs_on_every_path()
    {
        ConvCases.All.Sample(convCase =>
        {
            var (input, weights, bias) = convCase.Data();
            var (expected, magnitude) = ReferenceConvolution.Run(convCase.Spec, input, convCase.Images, weights, bias);
            foreach (VectorPath path in Paths.Available)
            {
                var layer = new ConvLayer(convCase.Spec, weights, bias, path);
                var output = new float[convCase.Images * layer.OutputLength];
                layer.Forward(input, output);
                Tolerance.AssertClose(output, expected, magnitude, $"{convCase} on {path}", convCase.Spec.Activation, convCase.Spec.ActivationAlpha);
            }
        }, iter: 1000, threads: 1);
    }

    [Fact]
    public void Fallback_touches_nothing_outside_its_spans_on_300_random_specs_on_every_path()
    {
        // The kernels index without bounds checks: with the spans against guard pages, any load or store past either
        // end kills the test host, and an over-read whose lanes are dropped (invisible in the results) shows too.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        ConvCases.All.Sample(convCase =>
        {
            var (input, weights, bias) = convCase.Data();
            foreach (VectorPath path in Paths.Available)
            {
                var layer = new ConvLayer(convCase.Spec, weights, bias, path);
                var expected = new float[convCase.Images * layer.OutputLength];
                layer.Forward(input, expected);
                foreach (bool atEnd in new[] { false, true })
                {
                    using var inputPages = new GuardedFloats(input.Length, atEnd);
                    using var outputPages = new GuardedFloats(expected.Length, !atEnd);
                    input.CopyTo(inputPages.Span);
                    layer.Forward(inputPages.Span, outputPages.Span);
                    Assert.True(outputPages.Span.SequenceEqual(expected), $"{convCase} on {path}, input {(atEnd ? "at the end" : "at the start")}: not the results on arrays");
                }
            }
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Generated_cases_reach_every_branch_the_suite_promises()
    {
        // The generator above is the test's coverage: check that a sample of it contains every kind of case.
        int grouped = 0, depthwise = 0, multiplied = 0, same = 0, sameStrided = 0, asymmetric = 0, unsetMode = 0, rectangular = 0,
            strideOverKernel = 0, dilatedStrided = 0, batched = 0, offVector = 0, pointwise = 0;
        var activations = new bool[8];
        ConvCases.All.Sample(c =>
        {
            ConvSpec s = c.Spec;
            grouped += s.Groups > 1 && !s.IsDepthwise ? 1 : 0;
            depthwise += s.IsDepthwise && s.InputChannels > 1 ? 1 : 0;
            multiplied += s.IsDepthwise && s.OutputChannels > s.InputChannels ? 1 : 0;
            same += s.Padding == Padding.Same && (s.InputHeight % 2 == 1) ? 1 : 0;
            sameStrided += s.Padding == Padding.Same && s.StrideHeight is 2 or 3 ? 1 : 0;
            asymmetric += s.Padding == Padding.Explicit && s.PadTop != s.PadBottom ? 1 : 0;
            unsetMode += s.PadLeft != 0 && s.Padding == Padding.Explicit ? 1 : 0;
            rectangular += s.KernelHeight != s.KernelWidth ? 1 : 0;
            strideOverKernel += s.StrideWidth > s.KernelWidth ? 1 : 0;
            dilatedStrided += s.StrideHeight > 1 && s.DilationHeight > 1 ? 1 : 0;
            batched += c.Images > 1 ? 1 : 0;
            offVector += s.OutputChannels % 16 != 0 && s.OutputChannels > 16 ? 1 : 0;
            pointwise += s.KernelHeight == 1 && s.KernelWidth == 1 ? 1 : 0;
            activations[(int)s.Activation] = true;
        }, iter: 1000, threads: 1);

        Assert.All(new[] { grouped, depthwise, multiplied, same, sameStrided, asymmetric, unsetMode, rectangular, strideOverKernel, dilatedStrided, batched, offVector, pointwise },
            count => Assert.True(count >= 20, $"a kind of case appears only {count} times in 1000"));
        Assert.All(activations, Assert.True);
    }
}

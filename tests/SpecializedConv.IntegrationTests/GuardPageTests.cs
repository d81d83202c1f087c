using System;
using System.Linq;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.IntegrationTests;

/// <summary>
/// Every generated layer, and its runtime layer, with its input and output against pages no one may touch: a load or store past either end of
/// the caller's spans faults. The kernels index without bounds checks, and an over-read whose lanes are then dropped
/// leaves every value right, so only this can see it (a flat-rows depthwise layer on rows shorter than a vector read up
/// to 12 floats past its input). Linux only: the pages come from mmap and mprotect.
/// </summary>
public class GuardPageTests
{
    [Theory]
    [MemberData(nameof(GeneratedLayerTests.Names), MemberType = typeof(GeneratedLayerTests))]
    public void Generated_layer_touches_nothing_outside_its_spans(string name)
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.Null(Check(GeneratedLayers.All.Single(x => x.Name == name)));
        }
    }

    /// <summary>
    /// Null when the layer, on 1 and 2 threads, and its runtime layer compute the same outputs with their spans against
    /// guard pages as on arrays, else what differed; a load or store past a span kills the process. Linux only. The
    /// theory runs it on the widest SIMD path; <see cref="Conformance.Run"/> runs it again on each narrower one.
    /// </summary>
    public static string? Check(GeneratedCase c)
    {
        var random = new Random(13);
        float[] weights = Conformance.Uniform(random, c.WeightLength), second = Conformance.Uniform(random, c.SecondWeightLength), bias = Conformance.Uniform(random, c.BiasLength);
        var generated = (IParallelConvLayer)c.Create(weights, second, bias);
        IConvLayer runtime = c.Runtime(weights, second, bias);
        float[] input = Conformance.Uniform(random, generated.InputLength), expected = new float[generated.OutputLength];
        runtime.Forward(input, expected);

        // Each span either starts just after a guard page or ends just before one; the ends fall at whatever offset
        // against the cache lines the length gives.
        foreach (bool inputAtEnd in new[] { false, true })
        {
            foreach (bool outputAtEnd in new[] { false, true })
            {
                // The generated layer on 1 and 2 threads, then the runtime layer (threads 0).
                foreach (int threads in new[] { 1, 2, 0 })
                {
                    using var inputPages = new GuardedFloats(input.Length, inputAtEnd);
                    using var outputPages = new GuardedFloats(expected.Length, outputAtEnd);
                    input.CopyTo(inputPages.Span);
                    if (threads == 0)
                    {
                        runtime.Forward(inputPages.Span, outputPages.Span);
                    }
                    else
                    {
                        generated.Forward(inputPages.Span, outputPages.Span, threads);
                    }

                    ReadOnlySpan<float> actual = outputPages.Span;
                    for (int i = 0; i < expected.Length; i++)
                    {
                        if (!(Math.Abs(actual[i] - expected[i]) <= 1e-3f * (1 + Math.Abs(expected[i]))))
                        {
                            return $"input {(inputAtEnd ? "at the end" : "at the start")}, output {(outputAtEnd ? "at the end" : "at the start")}, {(threads == 0 ? "runtime layer" : $"{threads} threads")}: output {i} is {actual[i]}, the runtime's on arrays {expected[i]}";
                        }
                    }
                }
            }
        }

        return null;
    }
}

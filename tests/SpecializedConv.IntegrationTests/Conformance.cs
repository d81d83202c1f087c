using System;
using System.IO;
using System.Linq;
using SpecializedConv.Tests.Oracles;

namespace SpecializedConv.IntegrationTests;

/// <summary>
/// Runs every generated layer on random batches and compares it with the runtime layer and the reference loop.
/// The xunit theory runs it per layer in-process; the child processes of <see cref="SimdPathTests"/> run it whole
/// under a narrowed instruction set, with <see cref="GuardPageTests.Check"/> after each layer.
/// </summary>
public static class Conformance
{
    /// <summary>Null when the layer agrees with both oracles on batches of 1 to 3 images, else what differed.</summary>
    public static string? Check(GeneratedCase c)
    {
        var random = new Random(c.Name.Length * 7919);
        float[] weights = Uniform(random, c.WeightLength), second = Uniform(random, c.SecondWeightLength), bias = Uniform(random, c.BiasLength);
        IConvLayer layer = c.Create(weights, second, bias), runtime = c.Runtime(weights, second, bias);
        if (layer.InputLength != runtime.InputLength || layer.OutputLength != runtime.OutputLength)
        {
            return $"lengths {layer.InputLength}/{layer.OutputLength}, runtime {runtime.InputLength}/{runtime.OutputLength}";
        }

        foreach (int images in new[] { 1, 3 })
        {
            float[] input = Uniform(random, images * layer.InputLength);
            var (reference, magnitude) = c.Reference(input, images, weights, second, bias);
            float[] expected = new float[images * layer.OutputLength];
            runtime.Forward(input, expected);
            string? mismatch = Tolerance.FirstMismatch(expected, reference, magnitude, c.Activation, c.Alpha);
            if (mismatch is not null)
            {
                return $"the runtime layer against the reference, {images} image(s): {mismatch}";
            }

            // Some kernels choose their loads by where the input lies against the 64-byte lines: the same input from a
            // line boundary, 8, 32 and 56 bytes past one (where a float[] starts; the shifted sets take weights packed per
            // even offset), an odd float and the last float of a line.
            foreach (int lineOffset in LineOffsets)
            {
                float[] output = Enumerable.Repeat(float.NaN, images * layer.OutputLength).ToArray();
                layer.Forward(AtLineOffset(input, lineOffset), output);
                mismatch = Tolerance.FirstMismatch(output, reference, magnitude, c.Activation, c.Alpha);
                if (mismatch is not null)
                {
                    return $"against the reference, {images} image(s), input {lineOffset} floats past a line: {mismatch}";
                }

                mismatch = Tolerance.FirstMismatch(output, expected, magnitude, c.Activation, c.Alpha);
                if (mismatch is not null)
                {
                    return $"against the runtime layer, {images} image(s), input {lineOffset} floats past a line: {mismatch}";
                }
            }

            // Kernels that walk groups of channels down the rows choose their order by where the output lies against
            // the input modulo 4 KiB: on it, 64 bytes past it (the shifted sets' strided plan), and 512, 1024 and 2048
            // bytes past it (each order at pixels of 1, 2 and 4 KiB), the input on a line boundary and 8 bytes past one.
            foreach (int lineOffset in new[] { 0, 2 })
            {
                ReadOnlySpan<float> placedInput = AtLineOffset(input, lineOffset);
                foreach (int bytesApart in new[] { 0, 64, 512, 1024, 2048 })
                {
                    Span<float> output = TensorBuffer.AllocateApartFrom(placedInput, images * layer.OutputLength, bytesApart);
                    output.Fill(float.NaN);
                    layer.Forward(placedInput, output);
                    mismatch = Tolerance.FirstMismatch(output.ToArray(), reference, magnitude, c.Activation, c.Alpha);
                    if (mismatch is not null)
                    {
                        return $"against the reference, {images} image(s), input {lineOffset} floats past a line, output {bytesApart} bytes past it modulo 4 KiB: {mismatch}";
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Floats past the start of a 64-byte line that the layers' inputs are tried at.</summary>
    public static readonly int[] LineOffsets = [0, 2, 8, 14, 7, 15];

    /// <summary>A copy of <paramref name="values"/> starting <paramref name="lineOffset"/> floats past a 64-byte line boundary.</summary>
    public static ReadOnlySpan<float> AtLineOffset(float[] values, int lineOffset)
    {
        Span<float> placed = TensorBuffer.Allocate(lineOffset + values.Length).Span[lineOffset..];
        values.CopyTo(placed);
        return placed;
    }

    public static float[] Uniform(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    public static int Run(TextWriter output)
    {
        output.WriteLine($"path: {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "Vector512" : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "Vector256" : System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? "Vector128" : "Scalar")}");
        int failures = 0;
        foreach (GeneratedCase c in GeneratedLayers.All)
        {
            string? problem;
            try
            {
                problem = Check(c);
                if (problem is null && OperatingSystem.IsLinux())
                {
                    // Named first: a load past a span ends the process here, and the parent shows what was written.
                    output.WriteLine($"guard pages: {c.Name}");
                    problem = GuardPageTests.Check(c) is { } guarded ? $"against guard pages, {guarded}" : null;
                }
            }
            catch (Exception e)
            {
                problem = e.ToString();
            }

            if (problem is not null)
            {
                failures++;
                output.WriteLine($"FAILED {c.Name}: {problem}");
            }
        }

        output.WriteLine(failures == 0 ? $"conformance: {GeneratedLayers.All.Count} layers passed" : $"conformance: {failures} failed");
        return failures == 0 ? 0 : 1;
    }
}

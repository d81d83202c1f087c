using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace SpecializedConv.Demo;

/// <summary>Checks each generated layer against the runtime layer, times both, and prints the table.</summary>
internal sealed class Report
{
    private readonly List<string> _rows = [];

    public int Failures { get; private set; }

    /// <summary>Runs both layers on <paramref name="input"/>, checks they agree, times them, and returns the generated output.</summary>
    public float[] Check(string name, IConvLayer generated, IConvLayer fallback, float[] input)
    {
        float[] output = new float[generated.OutputLength], expected = new float[fallback.OutputLength];
        generated.Forward(input, output);
        fallback.Forward(input, expected);
        double error = Agree(name, output, expected);
        double generatedTime = Time(() => generated.Forward(input, output)), fallbackTime = Time(() => fallback.Forward(input, expected));
        _rows.Add(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F1} | {2:F1} | {3:F2}x | {4:E1} |",
            name, generatedTime, fallbackTime, fallbackTime / generatedTime, error));
        return output;
    }

    /// <summary>Checks two outputs agree to float tolerance; returns the largest difference.</summary>
    public double Agree(string name, float[] actual, float[] expected)
    {
        double error = 0, scale = 1;
        for (int i = 0; i < actual.Length; i++)
        {
            error = Math.Max(error, Math.Abs(actual[i] - (double)expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }

        if (actual.Length != expected.Length || !(error <= 1e-4 * scale))
        {
            Failures++;
            Console.WriteLine($"CHECK FAILED: {name}: largest difference {error:E2} (scale {scale:E2})");
        }

        return error;
    }

    /// <summary>The whole network, generated against fallback.</summary>
    public void TimeNetwork(List<(IConvLayer Generated, IConvLayer Fallback)> layers, float[] image)
    {
        float[][] generatedBuffers = layers.ConvertAll(l => new float[l.Generated.OutputLength]).ToArray();
        float[][] fallbackBuffers = layers.ConvertAll(l => new float[l.Fallback.OutputLength]).ToArray();
        void Run(bool generated)
        {
            float[] input = image;
            for (int i = 0; i < layers.Count; i++)
            {
                float[] output = generated ? generatedBuffers[i] : fallbackBuffers[i];
                (generated ? layers[i].Generated : layers[i].Fallback).Forward(input, output);
                input = output;
            }
        }

        double generatedTime = Time(() => Run(true)), fallbackTime = Time(() => Run(false));
        _rows.Add(string.Format(CultureInfo.InvariantCulture, "| **network, end to end** | **{0:F1}** | **{1:F1}** | **{2:F2}x** | |",
            generatedTime, fallbackTime, fallbackTime / generatedTime));
    }

    public void Print()
    {
        Console.WriteLine("Times in microseconds per image (median), generated layer against the runtime fallback on the same input:");
        Console.WriteLine();
        Console.WriteLine("| layer | generated µs | fallback µs | speedup | largest difference |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        _rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine(Failures == 0 ? "All generated layers agree with the runtime layers." : $"{Failures} check(s) FAILED.");
    }

    /// <summary>Median time of one call, in microseconds, over samples of about 2 ms after a warm-up.</summary>
    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 20 || calls < 3)
        {
            action();
            calls++;
        }

        int batch = Math.Max(1, (int)(calls * 2 / Stopwatch.GetElapsedTime(start).TotalMilliseconds));
        var samples = new double[15];
        for (int s = 0; s < samples.Length; s++)
        {
            long sampleStart = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++)
            {
                action();
            }

            samples[s] = Stopwatch.GetElapsedTime(sampleStart).TotalMicroseconds / batch;
        }

        Array.Sort(samples);
        return samples[samples.Length / 2];
    }
}

/// <summary>Deterministic data for the demo.</summary>
internal static class Data
{
    public static float[] Normal(Random random, int length, float scale = 1f)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            // Box-Muller, as tf.random.normal draws
            values[i] = scale * (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        return values;
    }

    public static float[] Uniform(Random random, int length, float low, float high)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = low + ((high - low) * (float)random.NextDouble());
        }

        return values;
    }

    public static void PrintShape(string label, int height, int width, int channels) =>
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: (1, {1}, {2}, {3})", label, height, width, channels));
}

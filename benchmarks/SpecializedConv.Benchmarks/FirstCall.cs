using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace SpecializedConv.Benchmarks;

/// <summary>
/// The first Forward after construction against steady state, for a generated layer in a process of its own (so the
/// JIT has compiled nothing of it yet): the constructor packs the weights and has the kernels compiled, and the
/// first call should then run near full speed.
/// </summary>
public static class FirstCall
{
    /// <summary>Fresh processes per layer; the quick mode reports the median of their ratios.</summary>
    public const int Processes = 3;

    /// <summary>
    /// In the child process: prints "first_us steady_us methods_compiled_during_the_first_call cold_us" for one suite
    /// layer (cold_us: the median steady-state call from cold caches).
    /// </summary>
    public static int Measure(string name)
    {
        SuiteLayer layer = Suite.Find(name);
        var random = new Random(1);
        float[] weights = new float[layer.Spec.WeightLength], bias = new float[layer.Spec.BiasLength];
        float[] image = new float[layer.Spec.InputLength];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = (float)random.NextDouble();
        }

        // As an application does: its buffers are set up and the model built at start-up; then an input arrives,
        // written into the input buffer, and the layer runs on it at once. (An input written before the layer was
        // built is cold in cache and TLB after the JIT's work: docs/performance.md measures that apart.)
        // 8 bytes past a line, where a float[] starts as often as at any other multiple of 8.
        Span<float> input = Placement.Allocate(layer.Spec.InputLength).Span.Slice(2, layer.Spec.InputLength);
        Span<float> output = Placement.Allocate(layer.Spec.OutputLength).Span.Slice(2, layer.Spec.OutputLength);
        output.Fill(1f);
        int[] flush = new int[16 << 20];
        Array.Fill(flush, 1);
        long start = Stopwatch.GetTimestamp();
        _ = Stopwatch.GetElapsedTime(start).TotalMicroseconds; // the timing code's own first call, out of the measure
        IConvLayer generated = GeneratedSuite.Create(name, weights, bias)!;
        image.CopyTo(input);
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        start = Stopwatch.GetTimestamp();
        generated.Forward(input, output);
        double first = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - compiled;

        var samples = new double[31];
        for (int s = 0; s < samples.Length; s++)
        {
            start = Stopwatch.GetTimestamp();
            generated.Forward(input, output);
            samples[s] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(samples);

        // The same call from cold caches: 64 MiB written first pushes the caller's buffers, the weights and the code
        // out to memory, the state the first call finds them in after construction.
        var cold = new double[11];
        for (int s = 0; s < cold.Length; s++)
        {
            Array.Fill(flush, s);
            start = Stopwatch.GetTimestamp();
            generated.Forward(input, output);
            cold[s] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(cold);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{first:F1} {samples[samples.Length / 2]:F1} {compiled} {cold[cold.Length / 2]:F1}"));
        return 0;
    }

    /// <summary>
    /// In the quick mode: starts this program again for one layer, <see cref="Processes"/> times; the medians of first / steady and of
    /// cold / steady (a steady-state call from cold caches), and the methods the JIT compiled in the first call.
    /// </summary>
    public static (double Ratio, double ColdRatio, int Compiled) Ratio(string name)
    {
        string self = Environment.ProcessPath!;
        string arguments = $"--first-call {name}";
        if (System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            arguments = $"\"{typeof(FirstCall).Assembly.Location}\" {arguments}";
        }

        var runs = new List<(double Ratio, double ColdRatio, int Compiled)>();
        for (int run = 0; run < Processes; run++)
        {
            using Process child = Process.Start(new ProcessStartInfo(self, arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
            string[] parts = child.StandardOutput.ReadToEnd().Trim().Split(' ');
            child.WaitForExit();
            if (parts.Length != 4)
            {
                return (double.NaN, double.NaN, -1);
            }

            double first = Parse(parts[0]), steady = Parse(parts[1]), cold = Parse(parts[3]);
            runs.Add((first / steady, cold / steady, int.Parse(parts[2], CultureInfo.InvariantCulture)));
        }

        static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
        static double Median(IEnumerable<double> values) => values.Order().ElementAt(Processes / 2);
        return (Median(runs.Select(r => r.Ratio)), Median(runs.Select(r => r.ColdRatio)), runs.Max(r => r.Compiled));
    }
}

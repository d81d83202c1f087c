using System;
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
    /// <summary>In the child process: prints "first_us steady_us methods_compiled_during_the_first_call" for one suite layer.</summary>
    public static int Measure(string name)
    {
        SuiteLayer layer = Suite.Find(name);
        var random = new Random(1);
        float[] weights = new float[layer.Spec.WeightLength], bias = new float[layer.Spec.BiasLength], input = new float[layer.Spec.InputLength];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)random.NextDouble();
        }

        // The caller's buffers are in use before the layer exists; then construct, and call at once, as an application
        // does. (A core left idle goes cold: caches, TLBs, clock; that is not the layer's work.)
        var output = new float[layer.Spec.OutputLength];
        Array.Fill(output, 1f);
        long start = Stopwatch.GetTimestamp();
        _ = Stopwatch.GetElapsedTime(start).TotalMicroseconds; // the timing code's own first call, out of the measure
        IConvLayer generated = GeneratedSuite.Create(name, weights, bias)!;
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{first:F1} {samples[samples.Length / 2]:F1} {compiled}"));
        return 0;
    }

    /// <summary>In the quick mode: starts this program again for one layer; the ratio first / steady and the methods the JIT compiled in the first call.</summary>
    public static (double Ratio, int Compiled) Ratio(string name)
    {
        string self = Environment.ProcessPath!;
        string arguments = $"--first-call {name}";
        if (System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            arguments = $"\"{typeof(FirstCall).Assembly.Location}\" {arguments}";
        }

        using Process child = Process.Start(new ProcessStartInfo(self, arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string[] parts = child.StandardOutput.ReadToEnd().Trim().Split(' ');
        child.WaitForExit();
        return parts.Length == 3
            ? (double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture))
            : (double.NaN, -1);
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.IntegrationTests;

/// <summary>
/// No call allocates after a Gen2 collection under memory pressure, when the runtime empties <c>ArrayPool</c>: every
/// generated layer and its runtime layer, in a child process whose high-memory threshold is 1 % of the machine (so the
/// load is always above it), as in a container near its limit. A fused separable layer that rented its band from the
/// shared pool allocated 17 KB on the first call after each such collection.
/// </summary>
public class MemoryPressureTests
{
    /// <summary>The argument that runs <see cref="Run"/> in the child process.</summary>
    public const string Argument = "memory-pressure";

    [Fact]
    public void No_call_allocates_after_a_gen2_collection_under_memory_pressure()
    {
        var (exitCode, output) = ChildProcess.RunAssembly(typeof(MemoryPressureTests).Assembly.Location, Argument,
            new Dictionary<string, string> { ["DOTNET_GCHighMemPercent"] = "1" }, TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, output);
        Assert.Contains("memory-pressure: passed", output, StringComparison.Ordinal);
    }

    /// <summary>In the child process: each layer warmed on this thread, then collections, then one call measured.</summary>
    public static int Run(TextWriter output)
    {
        GC.Collect(); // the memory info describes the last collection
        GCMemoryInfo memory = GC.GetGCMemoryInfo();
        if (memory.MemoryLoadBytes < memory.HighMemoryLoadThresholdBytes)
        {
            output.WriteLine($"memory-pressure: the load ({memory.MemoryLoadBytes} bytes) is under the high threshold ({memory.HighMemoryLoadThresholdBytes} bytes); nothing would be trimmed");
            return 1;
        }

        int failures = 0;
        foreach (GeneratedCase c in GeneratedLayers.All)
        {
            float[] weights = new float[c.WeightLength], second = new float[c.SecondWeightLength], bias = new float[c.BiasLength];
            foreach (IConvLayer layer in new[] { c.Create(weights, second, bias), c.Runtime(weights, second, bias) })
            {
                float[] input = new float[layer.InputLength], result = new float[layer.OutputLength];
                layer.Forward(input, result);
                layer.Forward(input, result);

                // The pool trims from the finalizer thread after a Gen2 collection; the second round sees it done.
                for (int round = 0; round < 2; round++)
                {
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                layer.Forward(input, result);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated != 0)
                {
                    failures++;
                    output.WriteLine($"FAILED {c.Name} ({layer.GetType().Name}): {allocated} bytes in the call after the collections");
                }
            }
        }

        output.WriteLine(failures == 0 ? "memory-pressure: passed" : $"memory-pressure: {failures} failed");
        return failures == 0 ? 0 : 1;
    }
}

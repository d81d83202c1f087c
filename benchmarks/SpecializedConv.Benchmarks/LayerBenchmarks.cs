using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace SpecializedConv.Benchmarks;

/// <summary>The suite under BenchmarkDotNet, with its memory diagnoser: every contender of every layer, batch 1.</summary>
[MemoryDiagnoser]
public class LayerBenchmarks
{
    private Dictionary<string, IContender> _contenders = [];

    public static IEnumerable<SuiteLayer> Layers => Suite.Layers;

    [ParamsSource(nameof(Layers))]
    public SuiteLayer Layer { get; set; } = Suite.Layers[0];

    [GlobalSetup]
    public void Setup()
    {
        // Our buffers 8 bytes past a line, where a float[] starts as often as anywhere, not on the line boundary that
        // would favour the depthwise layers (the quick mode takes every placement in turn).
        Placement.LineOffset ??= 2;
        _contenders = SuiteContenders.For(Layer).ToDictionary(c => c.Name);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (IContender contender in _contenders.Values)
        {
            contender.Dispose();
        }
    }

    [Benchmark]
    public void Generated()
    {
        if (_contenders.TryGetValue("generated", out IContender? generated))
        {
            generated.Run();
        }
    }

    [Benchmark]
    public void Fallback() => _contenders["fallback"].Run();

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _contenders["ONNX Runtime"].Run();
}

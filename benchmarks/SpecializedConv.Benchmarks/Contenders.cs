using System;
using System.Collections.Generic;
using Microsoft.ML.OnnxRuntime;
using SpecializedConv.Tests.Oracles;

namespace SpecializedConv.Benchmarks;

/// <summary>One implementation of a suite layer, ready to run on preallocated buffers.</summary>
public interface IContender : IDisposable
{
    string Name { get; }

    /// <summary>Whether this is our code (its allocations must be zero).</summary>
    bool IsOurs { get; }

    /// <summary>Whether it runs on several threads (measured apart: idle thread-pool workers spinning on the other core slow a single-threaded contender down).</summary>
    bool IsParallel => false;

    void Run();

    /// <summary>
    /// Runs once on the layer's data (our buffers on a line boundary, where the input holds exactly that data) and
    /// returns the output in NHWC, to be compared across contenders before any is timed.
    /// </summary>
    float[] NhwcResult();

    /// <summary>Moves the buffers to the next placement against the cache lines (ours only: see <see cref="Placement"/>).</summary>
    void NextPlacement()
    {
    }
}

/// <summary>
/// A SpecializedConv layer (generated or fallback) on NHWC buffers placed as <see cref="Placement"/> says, on the calling
/// thread or spread over <paramref name="threads"/>.
/// </summary>
public sealed class LayerContender(string name, IConvLayer layer, float[] input, int threads = 1) : IContender
{
    private readonly Memory<float> _input = Placement.Allocate(input.Length, input), _output = Placement.Allocate(layer.OutputLength);
    private int _placement;

    public string Name => name;

    public bool IsOurs => true;

    public bool IsParallel => threads > 1;

    public void Run()
    {
        int offset = Placement.Offset(_placement);
        ReadOnlySpan<float> x = _input.Span.Slice(offset, input.Length);
        Span<float> y = _output.Span.Slice(offset, layer.OutputLength);
        if (threads > 1)
        {
            ((IParallelConvLayer)layer).Forward(x, y, threads);
        }
        else
        {
            layer.Forward(x, y);
        }
    }

    public float[] NhwcResult()
    {
        Span<float> y = _output.Span[..layer.OutputLength];
        y.Fill(float.NaN);
        layer.Forward(_input.Span[..input.Length], y);
        return y.ToArray();
    }

    public void NextPlacement() => _placement++;

    public void Dispose()
    {
    }
}

/// <summary>
/// ONNX Runtime at its best case: the single-node model (NCHW), one intra-op thread, input and output
/// <see cref="OrtValue"/>s allocated once and bound to the session (nothing allocated per call), and whichever graph
/// optimization level runs the layer faster here: all of them (MLAS's NCHWc kernels, which reorder the input and the
/// output on every call) or the extended ones (the plain NCHW kernels).
/// </summary>
public sealed class OnnxRuntimeContender : IContender
{
    private readonly ConvSpec _spec;
    private readonly int _outputHeight, _outputWidth;
    private readonly OrtValue _input, _output;
    private readonly RunOptions _runOptions = new();
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;

    public OnnxRuntimeContender(ConvSpec spec, float[] nhwcInput, float[] hwioWeights, float[] bias)
    {
        _spec = spec;
        var (height, width) = ReferenceConvolution.Axes(spec);
        (_outputHeight, _outputWidth) = (height.Output, width.Output);
        float[] oihw = new float[hwioWeights.Length];
        WeightLayout.HwioToOihw(hwioWeights, oihw, spec.OutputChannels, spec.InputChannels / spec.Groups, spec.KernelHeight, spec.KernelWidth);
        byte[] model = OnnxConvModel.Build(spec, height, width, oihw, bias);
        _input = OrtValue.CreateTensorValueFromMemory(Relayout(nhwcInput, spec.InputHeight, spec.InputWidth, spec.InputChannels, toNchw: true), [1, spec.InputChannels, spec.InputHeight, spec.InputWidth]);
        Output = new float[spec.OutputLength];
        _output = OrtValue.CreateTensorValueFromMemory(Output, [1, spec.OutputChannels, height.Output, width.Output]);

        // Both levels timed for 50 ms each after a warm-up; the slower session is dropped.
        (InferenceSession Session, OrtIoBinding Binding, double Microseconds)? best = null;
        foreach (GraphOptimizationLevel level in new[] { GraphOptimizationLevel.ORT_ENABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_EXTENDED })
        {
            using var options = new SessionOptions
            {
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = level,
            };
            var session = new InferenceSession(model, options);
            OrtIoBinding binding = session.CreateIoBinding();
            binding.BindInput("X", _input);
            binding.BindOutput("Y", _output);
            double microseconds = QuickMode.WarmMicroseconds(() => session.RunWithBinding(_runOptions, binding));
            if (best is null || microseconds < best.Value.Microseconds)
            {
                best?.Binding.Dispose();
                best?.Session.Dispose();
                best = (session, binding, microseconds);
                Level = level;
            }
            else
            {
                binding.Dispose();
                session.Dispose();
            }
        }

        (_session, _binding, _) = best!.Value;
    }

    public string Name => "ONNX Runtime";

    public bool IsOurs => false;

    /// <summary>The NCHW output.</summary>
    public float[] Output { get; }

    /// <summary>The graph optimization level that ran faster and is kept.</summary>
    public GraphOptimizationLevel Level { get; }

    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public float[] NhwcResult()
    {
        Array.Fill(Output, float.NaN);
        Run();
        return Relayout(Output, _outputHeight, _outputWidth, _spec.OutputChannels, toNchw: false);
    }

    public void Dispose()
    {
        _binding.Dispose();
        _session.Dispose();
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>An h x w x c image moved from NHWC to NCHW (<paramref name="toNchw"/>) or back.</summary>
    private static float[] Relayout(float[] source, int h, int w, int c, bool toNchw)
    {
        var result = new float[source.Length];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int k = 0; k < c; k++)
                {
                    int nhwc = (((y * w) + x) * c) + k, nchw = (((k * h) + y) * w) + x;
                    result[toNchw ? nchw : nhwc] = source[toNchw ? nhwc : nchw];
                }
            }
        }

        return result;
    }
}

/// <summary>Builds every contender of a suite layer on the same random data.</summary>
public static class SuiteContenders
{
    public static List<IContender> For(SuiteLayer layer, int threads = 1, int seed = 1)
    {
        var random = new Random(seed);
        ConvSpec spec = layer.Spec;
        float[] input = Uniform(random, spec.InputLength), weights = Uniform(random, spec.WeightLength), bias = Uniform(random, spec.BiasLength);
        var contenders = new List<IContender>();
        if (GeneratedSuite.Create(layer.Name, weights, bias) is { } generated)
        {
            contenders.Add(new LayerContender("generated", generated, input));
            if (threads > 1)
            {
                contenders.Add(new LayerContender($"generated x{threads}", GeneratedSuite.Create(layer.Name, weights, bias)!, input, threads));
            }
        }

        contenders.Add(new LayerContender("fallback", new ConvLayer(spec, weights, bias), input));
        contenders.Add(new OnnxRuntimeContender(spec, input, weights, bias));
        return contenders;
    }

    private static float[] Uniform(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}

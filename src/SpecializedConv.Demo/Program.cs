// The main job: the seed's three Keras examples and a small MobileNet-style network, as generated layers. Every
// layer is checked against the runtime ConvLayer on the same input, shapes are printed as the seed's code prints
// them, and each layer is timed, generated against fallback. Exits non-zero when a check fails.
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SpecializedConv;
using SpecializedConv.Demo;

var random = new Random(42);
var report = new Report();

Console.WriteLine($"SpecializedConv demo: {(Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : Vector128.IsHardwareAccelerated ? "Vector128" : "scalar")} kernels, " +
    (RuntimeFeature.IsDynamicCodeCompiled ? "JIT" : "NativeAOT") + ", one thread, batch 1.");

// Example 1: tf.pad([[0, 0], [2, 2], [2, 2], [0, 0]]) then Conv2D(32, (3, 3), strides (2, 2), "VALID", use_bias=False).
{
    float[] weights = Data.Normal(random, 3 * 3 * 3 * 32, 0.3f), input = Data.Normal(random, 28 * 28 * 3);
    var layer = new Example1(weights);
    var first = new float[layer.OutputLength];
    layer.Forward(input, first);
    Console.WriteLine($"First result {(DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds:F0} ms after the process started.");
    Console.WriteLine();
    report.Check("example 1: pad 2, 3x3 stride 2", layer, new ConvLayer(layer.Spec, weights), input);
    Console.WriteLine("Example 1: custom padding and stride");
    Data.PrintShape("Input shape", 28, 28, 3);
    Data.PrintShape("Padded input shape", 32, 32, 3);
    Data.PrintShape("Output shape", Example1.OutputHeight, Example1.OutputWidth, Example1.OutputChannels);
    Console.WriteLine();
}

// Example 2: Conv2D(64, (3, 3), dilation_rate (2, 2), padding "SAME").
{
    float[] weights = Data.Normal(random, 3 * 3 * 3 * 64, 0.3f), bias = Data.Normal(random, 64, 0.1f), input = Data.Normal(random, 32 * 32 * 3);
    var layer = new Example2(weights, bias);
    report.Check("example 2: 3x3 dilation 2 SAME", layer, new ConvLayer(layer.Spec, weights, bias), input);
    Console.WriteLine("Example 2: dilation");
    Data.PrintShape("Input shape", 32, 32, 3);
    Data.PrintShape("Output shape", Example2.OutputHeight, Example2.OutputWidth, Example2.OutputChannels);
    Console.WriteLine();
}

// Example 3: DepthwiseConv2D((3, 3), padding "SAME") then Conv2D(64, (1, 1)), both with a bias (the Keras default).
{
    float[] depthwiseWeights = Data.Normal(random, 3 * 3 * 3, 0.5f), depthwiseBias = Data.Normal(random, 3, 0.1f);
    float[] pointwiseWeights = Data.Normal(random, 3 * 64, 0.5f), pointwiseBias = Data.Normal(random, 64, 0.1f);
    float[] input = Data.Normal(random, 64 * 64 * 3);
    var depthwise = new Example3Depthwise(depthwiseWeights, depthwiseBias);
    var pointwise = new Example3Pointwise(pointwiseWeights, pointwiseBias);
    float[] middle = report.Check("example 3: depthwise 3x3 SAME", depthwise, new ConvLayer(depthwise.Spec, depthwiseWeights, depthwiseBias), input);
    float[] output = report.Check("example 3: pointwise 1x1", pointwise, new ConvLayer(pointwise.Spec, pointwiseWeights, pointwiseBias), middle);

    // One fused SeparableConv2D computes the same: with no activation between the steps, the depthwise bias moves
    // through the 1x1 weights into the pointwise bias.
    float[] fusedBias = (float[])pointwiseBias.Clone();
    for (int c = 0; c < 3; c++)
    {
        for (int o = 0; o < 64; o++)
        {
            fusedBias[o] += depthwiseBias[c] * pointwiseWeights[(c * 64) + o];
        }
    }

    var separable = new Example3Separable(depthwiseWeights, pointwiseWeights, fusedBias);
    float[] fused = report.Check("example 3: fused separable", separable,
        new SeparableConvLayer(separable.DepthwiseSpec, separable.PointwiseSpec, depthwiseWeights, pointwiseWeights, fusedBias), input);
    report.Agree("example 3: fused = two layers", fused, output);
    Console.WriteLine("Example 3: depthwise separable convolution");
    Data.PrintShape("Input shape", 64, 64, 3);
    Data.PrintShape("Output shape", Example3Separable.OutputHeight, Example3Separable.OutputWidth, Example3Separable.OutputChannels);
    Console.WriteLine();
}

// A MobileNet-style network: stem, five depthwise-separable blocks, batch norm folded in, ReLU6.
{
    Console.WriteLine("MobileNet-style network: stride-2 stem, depthwise-separable blocks, batch norm folded, ReLU6");
    var network = new List<(string Name, IConvLayer Generated, IConvLayer Fallback, ConvSpec Spec)>();
    void Add<T>(string name, int weightLength, int channels, Func<float[], float[], T> create, Func<T, ConvSpec> spec)
        where T : IConvLayer
    {
        // He-initialized weights, then a batch normalization folded into them (Keras epsilon 1e-3).
        float[] weights = Data.Normal(random, weightLength, MathF.Sqrt(2f / (weightLength / channels)));
        (float[] folded, float[] bias) = BatchNormFolding.Fold(weights, [],
            Data.Uniform(random, channels, 0.5f, 1.5f), Data.Uniform(random, channels, -0.1f, 0.1f),
            Data.Uniform(random, channels, -0.1f, 0.1f), Data.Uniform(random, channels, 0.5f, 1.5f), 1e-3f);
        T layer = create(folded, bias);
        network.Add((name, layer, new ConvLayer(spec(layer), folded, bias), spec(layer)));
    }

    Add("stem 3x3 s2", Stem.WeightLength, Stem.OutputChannels, (w, b) => new Stem(w, b), l => l.Spec);
    Add("block 1 depthwise", Block1Depthwise.WeightLength, Block1Depthwise.OutputChannels, (w, b) => new Block1Depthwise(w, b), l => l.Spec);
    Add("block 1 pointwise", Block1Pointwise.WeightLength, Block1Pointwise.OutputChannels, (w, b) => new Block1Pointwise(w, b), l => l.Spec);
    Add("block 2 depthwise s2", Block2Depthwise.WeightLength, Block2Depthwise.OutputChannels, (w, b) => new Block2Depthwise(w, b), l => l.Spec);
    Add("block 2 pointwise", Block2Pointwise.WeightLength, Block2Pointwise.OutputChannels, (w, b) => new Block2Pointwise(w, b), l => l.Spec);
    Add("block 3 depthwise", Block3Depthwise.WeightLength, Block3Depthwise.OutputChannels, (w, b) => new Block3Depthwise(w, b), l => l.Spec);
    Add("block 3 pointwise", Block3Pointwise.WeightLength, Block3Pointwise.OutputChannels, (w, b) => new Block3Pointwise(w, b), l => l.Spec);
    Add("block 4 depthwise s2", Block4Depthwise.WeightLength, Block4Depthwise.OutputChannels, (w, b) => new Block4Depthwise(w, b), l => l.Spec);
    Add("block 4 pointwise", Block4Pointwise.WeightLength, Block4Pointwise.OutputChannels, (w, b) => new Block4Pointwise(w, b), l => l.Spec);
    Add("block 5 depthwise", Block5Depthwise.WeightLength, Block5Depthwise.OutputChannels, (w, b) => new Block5Depthwise(w, b), l => l.Spec);
    Add("block 5 pointwise", Block5Pointwise.WeightLength, Block5Pointwise.OutputChannels, (w, b) => new Block5Pointwise(w, b), l => l.Spec);

    float[] image = Data.Uniform(random, 96 * 96 * 3, 0f, 1f);
    Data.PrintShape("Input shape", 96, 96, 3);
    float[] generated = image, fallback = image;
    foreach (var (name, layer, runtime, spec) in network)
    {
        // Each layer is checked on the generated network's own activations; the fallback network runs alongside.
        generated = report.Check("network: " + name, layer, runtime, generated);
        float[] next = new float[runtime.OutputLength];
        runtime.Forward(fallback, next);
        fallback = next;
        Data.PrintShape("  " + name.PadRight(22), spec.OutputHeight, spec.OutputWidth, spec.OutputChannels);
    }

    report.Agree("network: end to end", generated, fallback);
    ConvSpec last = network[^1].Spec;
    Data.PrintShape("Output shape", last.OutputHeight, last.OutputWidth, last.OutputChannels);
    report.TimeNetwork(network.ConvertAll(l => (l.Generated, l.Fallback)), image);
    Console.WriteLine();
}

report.Print();
return report.Failures == 0 ? 0 : 1;

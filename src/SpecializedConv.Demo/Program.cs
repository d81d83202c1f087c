// The seed's three Keras examples, run through SpecializedConv's runtime layers on random input.
using System;
using SpecializedConv;

var random = new Random(42);
float[] Normal(int length)
{
    var values = new float[length];
    for (int i = 0; i < length; i++)
    {
        // Box-Muller, as tf.random.normal
        values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
    }

    return values;
}

void Shapes(string title, ConvSpec first, ConvSpec last, params (string Label, int H, int W, int C)[] extra)
{
    Console.WriteLine(title);
    Console.WriteLine($"Input shape: (1, {first.InputHeight}, {first.InputWidth}, {first.InputChannels})");
    foreach (var (label, h, w, c) in extra)
    {
        Console.WriteLine($"{label}: (1, {h}, {w}, {c})");
    }

    Console.WriteLine($"Output shape: (1, {last.OutputHeight}, {last.OutputWidth}, {last.OutputChannels})");
    Console.WriteLine();
}

// Example 1: tf.pad by 2 on each side, then Conv2D(32, 3x3, strides 2, VALID, no bias): the padding is part of the layer.
var stem = new ConvSpec
{
    InputHeight = 28, InputWidth = 28, InputChannels = 3, OutputChannels = 32,
    KernelHeight = 3, KernelWidth = 3, StrideHeight = 2, StrideWidth = 2,
    Padding = Padding.Explicit, PadTop = 2, PadBottom = 2, PadLeft = 2, PadRight = 2, UseBias = false,
};
var stemLayer = new ConvLayer(stem, Normal(stem.WeightLength));
var stemOutput = new float[stemLayer.OutputLength];
stemLayer.Forward(Normal(stemLayer.InputLength), stemOutput);
Shapes("Example 1: custom padding and stride", stem, stem, ("Padded input shape", 32, 32, 3));

// Example 2: Conv2D(64, 3x3, dilation_rate 2, SAME).
var dilated = new ConvSpec
{
    InputHeight = 32, InputWidth = 32, InputChannels = 3, OutputChannels = 64,
    KernelHeight = 3, KernelWidth = 3, DilationHeight = 2, DilationWidth = 2, Padding = Padding.Same,
};
var dilatedLayer = new ConvLayer(dilated, Normal(dilated.WeightLength), Normal(64));
var dilatedOutput = new float[dilatedLayer.OutputLength];
dilatedLayer.Forward(Normal(dilatedLayer.InputLength), dilatedOutput);
Shapes("Example 2: dilation", dilated, dilated);

// Example 3: DepthwiseConv2D(3x3, SAME) then Conv2D(64, 1x1): both Keras layers have a bias.
var depthwise = new ConvSpec
{
    InputHeight = 64, InputWidth = 64, InputChannels = 3, OutputChannels = 3, Groups = 3,
    KernelHeight = 3, KernelWidth = 3, Padding = Padding.Same,
};
var pointwise = new ConvSpec
{
    InputHeight = 64, InputWidth = 64, InputChannels = 3, OutputChannels = 64, KernelHeight = 1, KernelWidth = 1,
};
var depthwiseLayer = new ConvLayer(depthwise, Normal(depthwise.WeightLength), Normal(3));
var pointwiseLayer = new ConvLayer(pointwise, Normal(pointwise.WeightLength), Normal(64));
var middle = new float[depthwiseLayer.OutputLength];
var separableOutput = new float[pointwiseLayer.OutputLength];
depthwiseLayer.Forward(Normal(depthwiseLayer.InputLength), middle);
pointwiseLayer.Forward(middle, separableOutput);
Shapes("Example 3: depthwise separable convolution", depthwise, pointwise);
return 0;

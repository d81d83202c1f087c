using System;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.Tests;

public class WeightLayoutTests
{
    [Fact]
    public void Oihw_to_hwio_is_the_transpose_ONNX_uses()
    {
        var random = new Random(3);
        int o = 6, i = 4, h = 3, w = 2;
        float[] hwio = ConvCase.Uniform(random, o * i * h * w);
        float[] oihw = OnnxRuntimeOracle.ToOihw(hwio, h, w, i, o); // the tests' own transpose
        var back = new float[hwio.Length];
        WeightLayout.OihwToHwio(oihw, back, o, i, h, w);
        Assert.Equal(hwio, back);

        var again = new float[oihw.Length];
        WeightLayout.HwioToOihw(hwio, again, o, i, h, w);
        Assert.Equal(oihw, again);
    }

    [Fact]
    public void A_PyTorch_layer_converted_with_the_helper_matches_OnnxRuntime()
    {
        var spec = new ConvSpec
        {
            InputHeight = 9, InputWidth = 7, InputChannels = 6, OutputChannels = 4, Groups = 2,
            KernelHeight = 3, KernelWidth = 2, StrideHeight = 2, PadTop = 1, PadBottom = 1, PadLeft = 1,
        };
        var random = new Random(4);
        float[] input = ConvCase.Uniform(random, spec.InputLength), hwio = ConvCase.Uniform(random, spec.WeightLength), bias = ConvCase.Uniform(random, 4);
        float[] oihw = OnnxRuntimeOracle.ToOihw(hwio, 3, 2, 3, 4); // as PyTorch would hand it over
        var layer = new ConvLayer(spec, WeightLayout.OihwToHwio(spec, oihw), bias);
        var output = new float[layer.OutputLength];
        layer.Forward(input, output);
        var (_, magnitude) = ReferenceConvolution.Run(spec, input, 1, hwio, bias);
        Tolerance.AssertClose(output, OnnxRuntimeOracle.Run(spec, input, 1, hwio, bias), magnitude, "converted weights");
    }

    [Fact]
    public void Depthwise_oihw_becomes_the_keras_layout()
    {
        // PyTorch depthwise [C*M, 1, KH, KW]; Keras [KH, KW, C, M]: output channel c*M + m.
        int c = 3, m = 2, kh = 2, kw = 3;
        var oihw = new float[c * m * kh * kw];
        for (int o = 0; o < c * m; o++)
        {
            for (int t = 0; t < kh * kw; t++)
            {
                oihw[(o * kh * kw) + t] = (o * 100) + t;
            }
        }

        float[] keras = WeightLayout.DepthwiseOihwToHwio(oihw, c, m, kh, kw);
        for (int t = 0; t < kh * kw; t++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int k = 0; k < m; k++)
                {
                    Assert.Equal(((ch * m) + k) * 100 + t, keras[(((t * c) + ch) * m) + k]);
                }
            }
        }
    }

    [Fact]
    public void Wrong_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => WeightLayout.OihwToHwio(new float[10], new float[12], 2, 2, 1, 3));
        Assert.Contains("source weights hold 10 floats", e.Message, StringComparison.Ordinal);
        Assert.Equal("oihw", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => WeightLayout.OihwToHwio(new float[12], new float[10], 2, 2, 1, 3));
        Assert.Contains("destination holds 10 floats", e.Message, StringComparison.Ordinal);
        Assert.Equal("hwio", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => WeightLayout.HwioToOihw(new float[10], new float[12], 2, 2, 1, 3));
        Assert.Equal("hwio", e.ParamName);
        var shared = new float[12];
        e = Assert.Throws<ArgumentException>(() => WeightLayout.OihwToHwio(shared, shared, 2, 2, 1, 3));
        Assert.Equal("hwio", e.ParamName);
        Assert.Throws<ArgumentException>(() => WeightLayout.OihwToHwio(new float[12], new float[12], 0, 2, 1, 3));
    }
}

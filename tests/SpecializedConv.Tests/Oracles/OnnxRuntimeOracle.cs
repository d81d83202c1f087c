using System;
using Microsoft.ML.OnnxRuntime;

namespace SpecializedConv.Tests.Oracles;

/// <summary>
/// ONNX Runtime as a second, independent oracle: the single-node model of <see cref="OnnxConvModel"/> run on the CPU
/// provider. ONNX is NCHW with OIHW weights; the conversions here are the tests' own.
/// </summary>
public static class OnnxRuntimeOracle
{
    public static float[] Run(ConvSpec spec, float[] nhwcInput, int images, float[] hwioWeights, float[] bias)
    {
        var (height, width) = ReferenceConvolution.Axes(spec);
        int cin = spec.InputChannels, cout = spec.OutputChannels, cinGroup = cin / spec.Groups;
        byte[] model = OnnxConvModel.Build(spec, height, width, ToOihw(hwioWeights, spec.KernelHeight, spec.KernelWidth, cinGroup, cout), bias);

        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        float[] nchw = NhwcToNchw(nhwcInput, images, spec.InputHeight, spec.InputWidth, cin);
        using var input = OrtValue.CreateTensorValueFromMemory(nchw, [images, cin, spec.InputHeight, spec.InputWidth]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, ["X"], [input], ["Y"]);
        float[] result = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        return NchwToNhwc(result, images, height.Output, width.Output, cout);
    }

    public static float[] ToOihw(float[] hwio, int kh, int kw, int cinGroup, int cout)
    {
        var oihw = new float[hwio.Length];
        for (int ky = 0; ky < kh; ky++)
        {
            for (int kx = 0; kx < kw; kx++)
            {
                for (int i = 0; i < cinGroup; i++)
                {
                    for (int o = 0; o < cout; o++)
                    {
                        oihw[(((((o * cinGroup) + i) * kh) + ky) * kw) + kx] = hwio[(((((ky * kw) + kx) * cinGroup) + i) * cout) + o];
                    }
                }
            }
        }

        return oihw;
    }

    public static float[] NhwcToNchw(float[] nhwc, int n, int h, int w, int c)
    {
        var nchw = new float[nhwc.Length];
        for (int b = 0; b < n; b++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    for (int k = 0; k < c; k++)
                    {
                        nchw[((((b * c) + k) * h) + y) * w + x] = nhwc[((((b * h) + y) * w) + x) * c + k];
                    }
                }
            }
        }

        return nchw;
    }

    public static float[] NchwToNhwc(float[] nchw, int n, int h, int w, int c)
    {
        var nhwc = new float[nchw.Length];
        for (int b = 0; b < n; b++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    for (int k = 0; k < c; k++)
                    {
                        nhwc[((((b * h) + y) * w) + x) * c + k] = nchw[((((b * c) + k) * h) + y) * w + x];
                    }
                }
            }
        }

        return nhwc;
    }
}

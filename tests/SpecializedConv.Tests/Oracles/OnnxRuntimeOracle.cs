using System;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace SpecializedConv.Tests.Oracles;

/// <summary>
/// ONNX Runtime as a second, independent oracle: a single Conv node (plus its activation) built in memory with the
/// ONNX protobuf types, run on the CPU provider. ONNX is NCHW with OIHW weights; the conversions here are the tests'
/// own. SAME goes to ONNX Runtime as auto_pad SAME_UPPER, so it checks our padding arithmetic too (it rejects
/// auto_pad with dilation, so dilated SAME gets explicit pads from the reference formulas).
/// </summary>
public static class OnnxRuntimeOracle
{
    public static float[] Run(ConvSpec spec, float[] nhwcInput, int images, float[] hwioWeights, float[] bias)
    {
        var (height, width) = ReferenceConvolution.Axes(spec);
        int cin = spec.InputChannels, cout = spec.OutputChannels, cinGroup = cin / spec.Groups;
        byte[] model = BuildModel(spec, height, width, ToOihw(hwioWeights, spec.KernelHeight, spec.KernelWidth, cinGroup, cout), bias);

        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        float[] nchw = NhwcToNchw(nhwcInput, images, spec.InputHeight, spec.InputWidth, cin);
        using var input = OrtValue.CreateTensorValueFromMemory(nchw, [images, cin, spec.InputHeight, spec.InputWidth]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, ["X"], [input], ["Y"]);
        float[] result = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        return NchwToNhwc(result, images, height.Output, width.Output, cout);
    }

    private static byte[] BuildModel(ConvSpec spec, ReferenceAxis height, ReferenceAxis width, float[] oihw, float[] bias)
    {
        int cout = spec.OutputChannels;
        var graph = new GraphProto { Name = "conv" };
        graph.Input.Add(FloatValue("X"));
        graph.Output.Add(FloatValue("Y"));
        graph.Initializer.Add(FloatTensor("W", oihw, cout, spec.InputChannels / spec.Groups, spec.KernelHeight, spec.KernelWidth));

        var conv = new NodeProto { OpType = "Conv", Name = "conv" };
        conv.Input.Add("X");
        conv.Input.Add("W");
        if (bias.Length > 0)
        {
            graph.Initializer.Add(FloatTensor("B", bias, cout));
            conv.Input.Add("B");
        }

        conv.Attribute.Add(Ints("kernel_shape", spec.KernelHeight, spec.KernelWidth));
        conv.Attribute.Add(Ints("strides", spec.StrideHeight, spec.StrideWidth));
        conv.Attribute.Add(Ints("dilations", spec.DilationHeight, spec.DilationWidth));
        conv.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = spec.Groups });
        if (spec.Padding == Padding.Same && spec.DilationHeight == 1 && spec.DilationWidth == 1)
        {
            conv.Attribute.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("SAME_UPPER") });
        }
        else
        {
            conv.Attribute.Add(Ints("pads", height.PadBegin, width.PadBegin, height.PadEnd, width.PadEnd));
        }

        graph.Node.Add(conv);
        AddActivation(graph, spec, "C", "Y");
        conv.Output.Add("C");

        var modelProto = new ModelProto { IrVersion = 8, ProducerName = "SpecializedConv.Tests", Graph = graph };
        modelProto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return modelProto.ToByteArray();
    }

    private static void AddActivation(GraphProto graph, ConvSpec spec, string input, string output)
    {
        NodeProto Node(string op, string result, params string[] inputs)
        {
            var node = new NodeProto { OpType = op, Name = op + graph.Node.Count };
            node.Input.AddRange(inputs);
            node.Output.Add(result);
            graph.Node.Add(node);
            return node;
        }

        switch (spec.Activation)
        {
            case Activation.None:
                Node("Identity", output, input);
                break;
            case Activation.Relu:
                Node("Relu", output, input);
                break;
            case Activation.Relu6:
                graph.Initializer.Add(FloatTensor("zero", [0f]));
                graph.Initializer.Add(FloatTensor("six", [6f]));
                Node("Clip", output, input, "zero", "six");
                break;
            case Activation.LeakyRelu:
                Node("LeakyRelu", output, input).Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = spec.ActivationAlpha });
                break;
            case Activation.Sigmoid:
                Node("Sigmoid", output, input);
                break;
            case Activation.Tanh:
                Node("Tanh", output, input);
                break;
            case Activation.Silu:
                Node("Sigmoid", "S", input);
                Node("Mul", output, input, "S");
                break;
            case Activation.HardSwish:
                Node("HardSwish", output, input);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(spec));
        }
    }

    private static ValueInfoProto FloatValue(string name) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
    };

    // A scalar when no dimensions are given.
    private static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
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

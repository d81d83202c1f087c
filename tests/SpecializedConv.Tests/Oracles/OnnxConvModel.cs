using System;
using Google.Protobuf;
using Onnx;

namespace SpecializedConv.Tests.Oracles;

/// <summary>
/// A single ONNX Conv node (plus its activation) built in memory with the ONNX protobuf types: NCHW input "X", OIHW
/// weights, output "Y". SAME goes to ONNX Runtime as auto_pad SAME_UPPER, so it checks our padding arithmetic too
/// (ONNX Runtime rejects auto_pad with dilation, so dilated SAME gets explicit pads from the reference formulas). Where
/// the stride exceeds the window enough that (O - 1) x S + EK - N is negative, ONNX pads by that negative total (its
/// formula has no clamp; 12 rows, kernel 1, stride 4 shift by a row) while TensorFlow's SAME pads nothing: those get
/// the reference's explicit pads too.
/// The benchmarks link this file to time ONNX Runtime on the same layers.
/// </summary>
public static class OnnxConvModel
{
    public static byte[] Build(ConvSpec spec, ReferenceAxis height, ReferenceAxis width, float[] oihw, float[] bias)
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
        static bool OnnxSameAgrees(ReferenceAxis axis) => ((axis.Output - 1) * axis.Stride) + axis.EffectiveKernel - axis.Input >= 0;
        if (spec.Padding == Padding.Same && spec.DilationHeight == 1 && spec.DilationWidth == 1 && OnnxSameAgrees(height) && OnnxSameAgrees(width))
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

}

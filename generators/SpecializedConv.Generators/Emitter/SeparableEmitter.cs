using SpecializedConv.Generators.Model;
using SpecializedConv.Generators.Planner;
using static SpecializedConv.Generators.Emitter.LayerEmitter;

namespace SpecializedConv.Generators.Emitter;

/// <summary>
/// The fused separable layer: bands of depthwise output rows are computed into a per-thread band small enough to stay
/// in L2, and the pointwise kernel consumes each band before the next is made. No full intermediate tensor exists.
/// </summary>
internal static class SeparableEmitter
{
    public static void WriteLayer(CodeWriter w, LayerPlan plan)
    {
        ShapeModel s = plan.Shape;
        int taps = s.KernelHeight * s.KernelWidth, middle = plan.ConvolutionOutputs, outputs = s.OutputChannels;
        int width = plan.Width.Output, height = plan.Height.Output;
        int inputLength = s.InputHeight * s.InputWidth * s.InputChannels, outputLength = height * width * outputs;

        DirectEmitter.WritePathSwitch(w, "Packs the depthwise weights as the depthwise kernel reads them.",
            "public static PackedWeights PackDepthwise(int path, ReadOnlySpan<float> weights)", plan.Paths, path => DepthwiseEmitter.PackExpression(plan, path, "weights"));
        w.Line();
        DirectEmitter.WritePathSwitch(w, "The depthwise step has no bias: zeros, laid out as the depthwise kernel reads a bias.",
            "public static PackedWeights PackDepthwiseBias(int path)", plan.Paths, path => DepthwiseEmitter.BiasExpression(plan, path, "default"));
        w.Line();
        DirectEmitter.WritePathSwitch(w, "Packs the pointwise weights by block of output channels.",
            "public static PackedWeights PackPointwise(int path, ReadOnlySpan<float> weights)", plan.PointwisePaths,
            path => F($"PackedWeights.Convolution(weights, 1, {middle}, {outputs}, 1, {path.BlockChannels}, {path.Isa.Lanes}, channelMajor: true)"));
        w.Line();
        DirectEmitter.WritePathSwitch(w, "The layer's bias by block (zeros without bias).",
            "public static PackedWeights PackBias(int path, ReadOnlySpan<float> bias)", plan.PointwisePaths,
            path => F($"PackedWeights.Bias(bias, {outputs}, 1, {path.BlockChannels})"));
        w.Line();
        w.Line("/// <summary>Runs a checked batch image by image on the path chosen at construction.</summary>");
        w.Open("public static void Forward(int path, ReadOnlySpan<float> input, Span<float> output, int images, PackedWeights depthwiseWeights, PackedWeights depthwiseBias, PackedWeights pointwiseWeights, PackedWeights bias)");
        w.Open("for (int image = 0; image < images; image++)");
        w.Line(F($"RunPart(path, input.Slice(image * {inputLength}, {inputLength}), output.Slice(image * {outputLength}, {outputLength}), 0, {height}, 0, 1, depthwiseWeights, depthwiseBias, pointwiseWeights, bias);"));
        w.Close();
        w.Close();
        w.Line();
        w.Line(F($"/// <summary>Output rows [rowBegin, rowEnd) of one image: bands of {plan.BandRows} depthwise rows in this thread's band area, each consumed by the pointwise kernel while it is in cache.</summary>"));
        w.Open("public static void RunPart(int path, ReadOnlySpan<float> input, Span<float> output, int rowBegin, int rowEnd, int blockBegin, int blockEnd, PackedWeights depthwiseWeights, PackedWeights depthwiseBias, PackedWeights pointwiseWeights, PackedWeights bias)");
        w.Line("_ = blockBegin; // the fused layer splits by rows only");
        w.Line("_ = blockEnd;");
        w.Line("ref float x = ref MemoryMarshal.GetReference(input), y = ref MemoryMarshal.GetReference(output);");
        w.Line(F($"ref float m = ref global::SpecializedConv.Runtime.SeparableBand.Area({plan.BandRows * width * middle});"));
        w.Line("ref float dw = ref depthwiseWeights.Start, db = ref depthwiseBias.Start, pw = ref pointwiseWeights.Start, pb = ref bias.Start;");
        w.Open(F($"for (int row = rowBegin; row < rowEnd; row += {plan.BandRows})"));
        w.Line(F($"int end = Math.Min(row + {plan.BandRows}, rowEnd);"));
        w.Line(F($"ref float bandOutput = ref Unsafe.Add(ref y, (nint)row * {width * outputs});"));
        w.Open("switch (path)");
        for (int i = 0; i < plan.Paths.Count; i++)
        {
            PathPlan path = plan.Paths[i], pointwise = plan.PointwisePaths[i];
            string suffix = path.Isa.Suffix;
            w.Line((path.Isa.IsScalar ? "default" : "case " + suffix) + ":");
            w.Line(F($"    DepthwiseImage{suffix}(ref x, ref m, ref dw, ref db, row, end, 0, {DepthwiseEmitter.Blocks(path)});"));
            w.Line(F($"    Pointwise{suffix}(ref m, ref bandOutput, ref pw, ref pb, (nint)(end - row) * {width}, 0, {pointwise.Blocks});"));
            w.Line("    break;");
        }

        w.Close();
        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <summary>The fused layer splits an image by rows only.</summary>");
        w.Line("public static int Blocks(int path) => 1;");

        for (int i = 0; i < plan.Paths.Count; i++)
        {
            DepthwiseEmitter.WriteImage(w, plan, plan.Paths[i], "Depthwise", Activation.None, 0f);
            w.Line();
            DirectEmitter.WritePointwise(w, plan.PointwisePaths[i], middle, outputs, s.Activation, s.ActivationAlpha);
        }
    }
}

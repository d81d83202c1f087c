using System.Collections.Generic;
using System.Linq;
using SpecializedConv.Generators.Model;
using SpecializedConv.Generators.Planner;
using static SpecializedConv.Generators.Emitter.LayerEmitter;
using static SpecializedConv.Generators.Planner.VectorIsa;

namespace SpecializedConv.Generators.Emitter;

/// <summary>
/// The depthwise kernel: for each vector of channels, the kernel's taps sit in registers, and a tile of pixels along
/// a row loads each input column once per kernel row and feeds it to every pixel whose window covers it. The
/// border runs pixel by pixel over the valid taps the planner fixed.
/// </summary>
internal static class DepthwiseEmitter
{
    public static void WriteLayer(CodeWriter w, LayerPlan plan)
    {
        ShapeModel s = plan.Shape;
        int taps = s.KernelHeight * s.KernelWidth, channels = plan.ConvolutionOutputs;
        int inputLength = s.InputHeight * s.InputWidth * s.InputChannels, outputLength = plan.Height.Output * plan.Width.Output * channels;

        w.Line("/// <summary>Packs the weights as [channel vector][tap][lanes]: a vector's whole kernel is contiguous.</summary>");
        w.Open("public static PackedWeights PackWeights(int path, ReadOnlySpan<float> weights) => path switch");
        foreach (PathPlan path in plan.Paths)
        {
            w.Line(F($"{DirectEmitter.PathCase(path.Isa)} => PackedWeights.Depthwise(weights, {taps}, {channels}, {path.Isa.Lanes}),"));
        }

        w.Close(";");
        w.Line();
        w.Line("/// <summary>The bias rounded up to whole vectors (zeros without bias).</summary>");
        w.Open("public static PackedWeights PackBias(int path, ReadOnlySpan<float> bias) => path switch");
        foreach (PathPlan path in plan.Paths)
        {
            w.Line(F($"{DirectEmitter.PathCase(path.Isa)} => PackedWeights.Bias(bias, {channels}, 1, {RoundUp(channels, path.Isa.Lanes)}),"));
        }

        w.Close(";");
        w.Line();
        DirectEmitter.WritePrepare(w, inputLength, outputLength, "weights, bias", "PackedWeights weights, PackedWeights bias");
        w.Line("/// <summary>Runs a checked batch image by image on the path chosen at construction.</summary>");
        w.Open("public static void Forward(int path, ReadOnlySpan<float> input, Span<float> output, int images, PackedWeights weights, PackedWeights bias)");
        w.Line("ref float x = ref MemoryMarshal.GetReference(input), y = ref MemoryMarshal.GetReference(output);");
        w.Line("ref float w = ref weights.Start, b = ref bias.Start;");
        w.Open("for (nint image = 0; image < images; image++)");
        w.Line(F($"ref float imageInput = ref Unsafe.Add(ref x, image * {inputLength}), imageOutput = ref Unsafe.Add(ref y, image * {outputLength});"));
        w.Open("switch (path)");
        foreach (PathPlan path in plan.Paths)
        {
            w.Line((path.Isa.IsScalar ? "default" : "case " + path.Isa.Suffix) + ":");
            w.Line(F($"    Image{path.Isa.Suffix}(ref imageInput, ref imageOutput, ref w, ref b, 0, {plan.Height.Output});"));
            w.Line("    break;");
        }

        w.Close();
        w.Close();
        w.Close();
        foreach (PathPlan path in plan.Paths)
        {
            WriteKernels(w, plan, path, "", s.Activation, s.ActivationAlpha);
        }
    }

    /// <summary>One path's image, interior and border methods (named with <paramref name="prefix"/>, for the separable layer's step).</summary>
    public static void WriteKernels(CodeWriter w, LayerPlan plan, PathPlan path, string prefix, Activation activation, float alpha)
    {
        string suffix = path.Isa.Suffix;
        bool interior = plan.Height.InteriorCount > 0 && plan.Width.InteriorCount > 0;
        int outputRow = plan.Width.Output * plan.ConvolutionOutputs;
        w.Line();
        w.Line($"/// <summary>Output rows [rowBegin, rowEnd) of one image on the {(path.Isa.IsScalar ? "scalar" : path.Isa.Vector)} path, into <paramref name=\"y\"/> from its row rowBegin.</summary>");
        w.Open($"private static void {prefix}Image{suffix}(ref float x, ref float y, ref float w, ref float b, int rowBegin, int rowEnd)");
        if (interior)
        {
            w.Line($"{prefix}Interior{suffix}(ref x, ref y, ref w, ref b, rowBegin, rowEnd);");
        }

        DirectEmitter.WriteBorderCalls(w, plan.Border, prefix + "Border" + suffix);
        if (ActivationWriter.NeedsPass(activation))
        {
            w.Line("// the exp-based activation over the rows just written (a call inside the tiles would spill their accumulators)");
            w.Line(ActivationWriter.Pass("y", F($"(rowEnd - rowBegin) * {outputRow}"), activation, alpha));
        }

        w.Close();
        if (interior)
        {
            w.Line();
            WriteInterior(w, plan, path, prefix, activation, alpha);
        }

        if (plan.Border.Count > 0)
        {
            w.Line();
            WriteBorder(w, plan, path, prefix, activation, alpha);
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static void WriteInterior(CodeWriter w, LayerPlan plan, PathPlan path, string prefix, Activation activation, float alpha)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        AxisPlan h = plan.Height, wd = plan.Width;
        int channels = plan.ConvolutionOutputs, taps = s.KernelHeight * s.KernelWidth, row = s.InputWidth * channels;
        int pixels = System.Math.Min(path.Pixels, wd.InteriorCount);
        int tiles = wd.InteriorCount / pixels, remainder = wd.InteriorCount % pixels;

        w.Line(F($"/// <summary>The interior on the {(isa.IsScalar ? "scalar" : isa.Vector)} path: rows {h.InteriorBegin}..{h.InteriorEnd - 1}, columns {wd.InteriorBegin}..{wd.InteriorEnd - 1}; tiles of {pixels} pixels per channel vector.</summary>"));
        w.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
        w.Open($"private static void {prefix}Interior{isa.Suffix}(ref float x, ref float y, ref float w, ref float b, int rowBegin, int rowEnd)");
        w.Line(F($"nint firstRow = Math.Max({h.InteriorBegin}, rowBegin), endRow = Math.Min({h.InteriorEnd}, rowEnd);"));
        foreach (var (first, count, lanes) in Vectors(path, channels))
        {
            w.Line(count == 1 && lanes < isa.Lanes
                ? F($"// the last {lanes} channel{(lanes == 1 ? "" : "s")}, loaded and stored masked")
                : F($"// {count} vector{(count == 1 ? "" : "s")} of {isa.Lanes} channels"));
            w.OpenLoop("vector", first, count);
            w.Line(F($"ref float weights = ref Unsafe.Add(ref w, vector * {taps * isa.Lanes});"));
            if (path.WeightsInRegisters)
            {
                w.Line("// the kernel, one register per tap");
                for (int t = 0; t < taps; t += s.KernelWidth)
                {
                    w.Line($"{isa.Type} " + string.Join(", ", Enumerable.Range(t, s.KernelWidth).Select(k => F($"k{k} = {isa.Load("weights", Int(k * isa.Lanes))}"))) + ";");
                }
            }

            w.Line($"{isa.Type} bias = {isa.Load("b", F($"vector * {isa.Lanes}"))};");
            w.Open("for (nint row = firstRow; row < endRow; row++)");
            w.Line(F($"ref float input = ref Unsafe.Add(ref x, ((((row * {h.Stride}) - {h.PadBegin}) * {s.InputWidth}) + {(wd.InteriorBegin * wd.Stride) - wd.PadBegin}) * {channels} + (vector * {isa.Lanes}));"));
            w.Line(F($"ref float output = ref Unsafe.Add(ref y, ((((row - rowBegin) * {wd.Output}) + {wd.InteriorBegin}) * {channels}) + (vector * {isa.Lanes}));"));
            if (tiles > 0)
            {
                w.OpenLoop("tile", 0, tiles, used: false);
                WriteTile(w, plan, path, pixels, lanes, activation, alpha);
                w.Line(F($"input = ref Unsafe.Add(ref input, {pixels * wd.Stride * channels});"));
                w.Line(F($"output = ref Unsafe.Add(ref output, {pixels * channels});"));
                w.Close();
            }

            if (remainder > 0)
            {
                w.Line(F($"// the row's last {remainder} pixel{(remainder == 1 ? "" : "s")}"));
                WriteTile(w, plan, path, remainder, lanes, activation, alpha);
            }

            w.Close();
            w.Close();
        }

        w.Close();
    }

    /// <summary>The channel vectors: the full ones as one loop, then the partial last one.</summary>
    private static IEnumerable<(int First, int Count, int Lanes)> Vectors(PathPlan path, int channels)
    {
        if (path.FullBlocks > 0)
        {
            yield return (0, path.FullBlocks, path.Isa.Lanes);
        }

        if (path.TailChannels > 0)
        {
            yield return (path.FullBlocks, 1, path.TailChannels);
        }
    }

    /// <summary>
    /// A tile of <paramref name="pixels"/> along the row for one channel vector: per kernel row, each input column the
    /// tile needs is loaded once and multiplied into every pixel it belongs to.
    /// </summary>
    private static void WriteTile(CodeWriter w, LayerPlan plan, PathPlan path, int pixels, int lanes, Activation activation, float alpha)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        int channels = plan.ConvolutionOutputs, row = s.InputWidth * channels;
        int stride = plan.Width.Stride, dilation = plan.Width.Dilation;
        bool masked = lanes < isa.Lanes;
        w.Open("");
        w.Line($"{isa.Type} " + string.Join(", ", Enumerable.Range(0, pixels).Select(p => F($"a{p} = bias"))) + ", v;");
        for (int ky = 0; ky < s.KernelHeight; ky++)
        {
            w.Line(F($"// kernel row {ky}"));
            var columns = new SortedDictionary<int, List<(int Pixel, int Tap)>>();
            for (int p = 0; p < pixels; p++)
            {
                for (int kx = 0; kx < s.KernelWidth; kx++)
                {
                    int column = (p * stride) + (kx * dilation);
                    if (!columns.TryGetValue(column, out List<(int, int)>? users))
                    {
                        columns[column] = users = [];
                    }

                    users.Add((p, (ky * s.KernelWidth) + kx));
                }
            }

            foreach (KeyValuePair<int, List<(int Pixel, int Tap)>> column in columns)
            {
                string offset = Int((ky * plan.Height.Dilation * row) + (column.Key * channels));
                w.Line($"v = {(masked ? isa.LoadFirst("input", offset, lanes) : isa.Load("input", offset))};");
                w.Line(string.Join(" ", column.Value.Select(u => F($"a{u.Pixel} = {isa.MultiplyAdd("v", path.WeightsInRegisters ? F($"k{u.Tap}") : isa.Load("weights", Int(u.Tap * isa.Lanes)), F($"a{u.Pixel}"))};"))));
            }
        }

        string? inline = ActivationWriter.Inline(isa, activation, alpha, "{0}");
        w.Line(inline is null ? "// store" : $"// {activation}, then store");
        var stores = new List<string>();
        for (int p = 0; p < pixels; p++)
        {
            string value = inline is null ? F($"a{p}") : string.Format(System.Globalization.CultureInfo.InvariantCulture, inline, F($"a{p}"));
            stores.Add(masked ? isa.StoreFirst(value, "output", Int(p * channels), lanes) : isa.Store(value, "output", Int(p * channels)));
        }

        foreach (string line in stores)
        {
            w.Line(line);
        }

        w.Close();
    }

    private static void WriteBorder(CodeWriter w, LayerPlan plan, PathPlan path, string prefix, Activation activation, float alpha)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        int channels = plan.ConvolutionOutputs, taps = s.KernelHeight * s.KernelWidth, row = s.InputWidth * channels;

        w.Line($"/// <summary>Border pixels on the {(isa.IsScalar ? "scalar" : isa.Vector)} path, one at a time: kernel rows [firstRowTap, endRowTap) and columns [firstColumnTap, endColumnTap).</summary>");
        w.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
        w.Open($"private static void {prefix}Border{isa.Suffix}(ref float x, ref float y, ref float w, ref float b, int rowBegin, int rowEnd, int row, int column, int count, bool down, int firstRowTap, int endRowTap, int firstColumnTap, int endColumnTap)");
        DirectEmitter.WriteLineSetup(w, plan, channels);
        w.Line(F($"nint firstTap = (firstRowTap * {s.KernelWidth}) + firstColumnTap;"));
        w.Open("for (nint pixel = 0; pixel < count; pixel++)");
        w.Line("nint input = inputStart + (pixel * inputStep), output = outputStart + (pixel * outputStep);");
        string? inline = ActivationWriter.Inline(isa, activation, alpha, "{0}");
        foreach (var (first, count, lanes) in Vectors(path, channels))
        {
            bool masked = lanes < isa.Lanes;
            w.OpenLoop("vector", first, count);
            w.Line($"{isa.Type} a = {isa.Load("b", F($"vector * {isa.Lanes}"))};");
            w.Open("for (nint ky = 0; ky < rows; ky++)");
            w.Open("for (nint kx = 0; kx < columns; kx++)");
            string inputOffset = F($"input + (ky * {plan.Height.Dilation * row}) + (kx * {plan.Width.Dilation * channels}) + (vector * {isa.Lanes})");
            string value = masked ? isa.LoadFirst("x", inputOffset, lanes) : isa.Load("x", inputOffset);
            w.Line($"a = {isa.MultiplyAdd(value, isa.Load("w", F($"((vector * {taps}) + firstTap + (ky * {s.KernelWidth}) + kx) * {isa.Lanes}")), "a")};");
            w.Close();
            w.Close();
            string result = inline is null ? "a" : string.Format(System.Globalization.CultureInfo.InvariantCulture, inline, "a");
            w.Line(masked ? isa.StoreFirst(result, "y", F($"output + (vector * {isa.Lanes})"), lanes) : isa.Store(result, "y", F($"output + (vector * {isa.Lanes})")));
            w.Close();
        }

        w.Close();
        w.Close();
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using SpecializedConv.Generators.Model;
using SpecializedConv.Generators.Planner;
using static SpecializedConv.Generators.Emitter.LayerEmitter;
using static SpecializedConv.Generators.Planner.VectorIsa;

namespace SpecializedConv.Generators.Emitter;

/// <summary>
/// The direct and pointwise kernels: the interior in unrolled register tiles along each row, the border in lines
/// whose valid taps were fixed by the planner, and the 1x1 case as a matrix product over contiguous pixels.
/// </summary>
internal static class DirectEmitter
{
    public static void WriteLayer(CodeWriter w, LayerPlan plan)
    {
        ShapeModel s = plan.Shape;
        int taps = s.KernelHeight * s.KernelWidth, outputs = plan.ConvolutionOutputs;
        int inputLength = s.InputHeight * s.InputWidth * s.InputChannels, outputLength = plan.Height.Output * plan.Width.Output * outputs;

        WritePathSwitch(w, "Packs HWIO weights by group and block of output channels, channel-major with the taps inside: the order the tiles read them.",
            "public static PackedWeights PackWeights(int path, ReadOnlySpan<float> weights)", plan.Paths,
            path => F($"PackedWeights.Convolution(weights, {taps}, {plan.InputChannelsPerGroup}, {outputs}, {plan.Groups}, {path.BlockChannels}, {path.Isa.Lanes}, channelMajor: true)"));
        w.Line();
        WritePathSwitch(w, "The bias by group and block (zeros without bias), one full block of room each.",
            "public static PackedWeights PackBias(int path, ReadOnlySpan<float> bias)", plan.Paths,
            path => F($"PackedWeights.Bias(bias, {outputs}, {plan.Groups}, {path.BlockChannels})"));
        w.Line();
        WriteForward(w, plan.Paths.ToList(), inputLength, outputLength, plan.Height.Output, plan.Width.Output * outputs, path => path.Blocks);

        foreach (PathPlan path in plan.Paths)
        {
            w.Line();
            if (plan.Kind == PlanKind.Pointwise)
            {
                WriteImageOfPixels(w, path, plan);
                w.Line();
                WritePointwise(w, path, plan.Shape.InputChannels, outputs, s.Activation, s.ActivationAlpha);
            }
            else
            {
                WriteImage(w, path, plan);
                if (plan.WholeRows)
                {
                    w.Line();
                    WriteWholeRows(w, path, plan);
                }
                else if (plan.Height.InteriorCount > 0 && plan.Width.InteriorCount > 0)
                {
                    w.Line();
                    WriteInterior(w, path, plan);
                }

                if (plan.Border.Count > 0)
                {
                    w.Line();
                    WriteBorder(w, path, plan);
                }
            }
        }
    }

    public static string PathCase(VectorIsa isa) => isa.IsScalar ? "_" : isa.Suffix;

    /// <summary>A member that picks, per path, one expression: <c>signature =&gt; path switch { 512 =&gt; ..., _ =&gt; ... };</c></summary>
    public static void WritePathSwitch(CodeWriter w, string doc, string signature, IEnumerable<PathPlan> paths, Func<PathPlan, string> arm)
    {
        w.Line($"/// <summary>{doc}</summary>");
        w.Open($"{signature} => path switch");
        foreach (PathPlan path in paths)
        {
            w.Line($"{PathCase(path.Isa)} => {arm(path)},");
        }

        w.Close(";");
    }

    /// <summary>
    /// The entry points: Forward runs a checked batch image by image on the path chosen at construction; RunPart runs
    /// rows and output blocks of one image, a part of a parallel Forward; Blocks says how many blocks a path has.
    /// </summary>
    public static void WriteForward(CodeWriter w, IReadOnlyList<PathPlan> paths, int inputLength, int outputLength, int outputHeight, int outputRowLength, Func<PathPlan, int> blocks)
    {
        w.Line("/// <summary>Runs a checked batch image by image on the path chosen at construction.</summary>");
        w.Open("public static void Forward(int path, ReadOnlySpan<float> input, Span<float> output, int images, PackedWeights weights, PackedWeights bias)");
        w.Open("for (int image = 0; image < images; image++)");
        w.Line(F($"RunPart(path, input.Slice(image * {inputLength}, {inputLength}), output.Slice(image * {outputLength}, {outputLength}), 0, {outputHeight}, 0, Blocks(path), weights, bias);"));
        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <summary>Output rows [rowBegin, rowEnd) of output blocks [blockBegin, blockEnd) of one image: every pixel computed as the whole image computes it.</summary>");
        w.Open("public static void RunPart(int path, ReadOnlySpan<float> input, Span<float> output, int rowBegin, int rowEnd, int blockBegin, int blockEnd, PackedWeights weights, PackedWeights bias)");
        w.Line("ref float x = ref MemoryMarshal.GetReference(input);");
        w.Line(F($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), (nint)rowBegin * {outputRowLength});"));
        w.Line("ref float w = ref weights.Start, b = ref bias.Start;");
        w.Open("switch (path)");
        foreach (PathPlan path in paths)
        {
            w.Line((path.Isa.IsScalar ? "default" : "case " + path.Isa.Suffix) + ":");
            w.Line($"    Image{path.Isa.Suffix}(ref x, ref y, ref w, ref b, rowBegin, rowEnd, blockBegin, blockEnd);");
            w.Line("    break;");
        }

        w.Close();
        w.Close();
        w.Line();
        WritePathSwitch(w, "Blocks of output channels a path computes separately (the parts a parallel Forward may split an image into).",
            "public static int Blocks(int path)", paths, path => Int(blocks(path)));
    }

    /// <summary>A 1x1 layer's rows of one image: contiguous pixels.</summary>
    private static void WriteImageOfPixels(CodeWriter w, PathPlan path, LayerPlan plan)
    {
        int width = plan.Width.Output;
        w.Line(F($"/// <summary>Output rows [rowBegin, rowEnd) of one image on the {Name(path.Isa)} path: {width} contiguous pixels a row.</summary>"));
        w.Open($"private static void Image{path.Isa.Suffix}(ref float x, ref float y, ref float w, ref float b, int rowBegin, int rowEnd, nint blockBegin, nint blockEnd)");
        w.Line(F($"Pointwise{path.Isa.Suffix}(ref Unsafe.Add(ref x, (nint)rowBegin * {width * plan.Shape.InputChannels}), ref y, ref w, ref b, (nint)(rowEnd - rowBegin) * {width}, blockBegin, blockEnd);"));
        w.Close();
    }

    /// <summary>
    /// The 1x1 kernel over <c>pixels</c> contiguous pixels: full tiles, then one tile of the pixels left.
    /// Shared with the separable layer, whose depthwise band it consumes.
    /// </summary>
    public static void WritePointwise(CodeWriter w, PathPlan path, int inputChannels, int outputChannels, Activation activation, float alpha)
    {
        VectorIsa isa = path.Isa;
        w.Line(F($"/// <summary>1x1 convolution of contiguous pixels on the {Name(isa)} path: tiles of {path.Pixels} pixels x {path.BlockChannels} output channels.</summary>"));
        w.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
        w.Open($"private static void Pointwise{isa.Suffix}(ref float x, ref float y, ref float w, ref float b, nint pixels, nint blockBegin, nint blockEnd)");
        foreach (var (first, count, vectors, lastLanes) in Blocks(path))
        {
            int blockIndex = first / path.BlockChannels;
            string title = count == 1 ? F($"block of output channels {first}..{first + (((vectors - 1) * isa.Lanes) + lastLanes) - 1}") : F($"{count} blocks of {path.BlockChannels} output channels");
            w.Line("// " + title);
            OpenBlocks(w, blockIndex, count);
            w.Line(F($"ref float weights = ref Unsafe.Add(ref w, block * {path.BlockChannels * inputChannels});"));
            w.Line(F($"ref float bias = ref Unsafe.Add(ref b, block * {path.BlockChannels});"));
            w.Line("nint pixel = 0;");
            void WriteTile(int pixels)
            {
                w.Line(F($"ref float input = ref Unsafe.Add(ref x, pixel * {inputChannels});"));
                w.Line(F($"ref float output = ref Unsafe.Add(ref y, (pixel * {outputChannels}) + (block * {path.BlockChannels}));"));
                new MatrixTile
                {
                    Isa = isa, Pixels = pixels, Vectors = vectors, LastLanes = lastLanes,
                    PixelInputStep = inputChannels, PixelOutputStep = outputChannels,
                    Taps = [new TapRead("the 1x1 tap", 0)], ChannelEnd = Int(inputChannels), ChannelWeightStride = vectors * isa.Lanes,
                    Input = "input", Output = "output", Weights = "weights", Bias = "bias", Activation = activation, Alpha = alpha,
                }.Write(w);
            }

            w.Open(F($"for (; pixel + {path.Pixels} <= pixels; pixel += {path.Pixels})"));
            WriteTile(path.Pixels);
            w.Close();
            if (path.Pixels > 1)
            {
                // The pixels left go in one tile of exactly that many. One at a time, each pixel's FMAs would wait on
                // one another with only its few vectors to interleave, which leaves one of Zen 5's two FMA pipes idle.
                // A/B on Zen 5: 14x14 projections 1-6 % faster over several runs (their 7 pixels left), others within
                // the noise of code placement (a 3-channel projection 1 % faster in one run, 3 % slower in another).
                w.Line(F($"// the pixels left, fewer than {path.Pixels}: one tile of that many"));
                w.Open("switch (pixels - pixel)");
                for (int left = path.Pixels - 1; left >= 1; left--)
                {
                    w.Line(F($"case {left}:"));
                    w.Open("");
                    WriteTile(left);
                    w.Line("break;");
                    w.Close();
                }

                w.Close();
            }

            w.Close();
        }

        w.Close();
    }

    /// <summary>The blocks of a path: the full ones as one loop, then the narrower last one.</summary>
    public static IEnumerable<(int FirstChannel, int Count, int Vectors, int LastLanes)> Blocks(PathPlan path)
    {
        if (path.FullBlocks > 0)
        {
            yield return (0, path.FullBlocks, path.Vectors, path.Isa.Lanes);
        }

        if (path.TailChannels > 0)
        {
            int lastLanes = path.TailChannels - ((path.TailVectors - 1) * path.Isa.Lanes);
            yield return (path.FullBlocks * path.BlockChannels, 1, path.TailVectors, lastLanes);
        }
    }

    private static string Name(VectorIsa isa) => isa.IsScalar ? "scalar" : isa.Vector;

    /// <summary>One image's rows: the interior, then each border line, the line's valid taps written out.</summary>
    private static void WriteImage(CodeWriter w, PathPlan path, LayerPlan plan)
    {
        string suffix = path.Isa.Suffix;
        w.Line($"/// <summary>Output rows [rowBegin, rowEnd) of one image on the {Name(path.Isa)} path.</summary>");
        w.Open($"private static void Image{suffix}(ref float x, ref float y, ref float w, ref float b, int rowBegin, int rowEnd, nint blockBegin, nint blockEnd)");
        int channels = plan.InputChannelsPerGroup;
        bool chunked = path.ChannelChunk < channels;
        if (chunked)
        {
            w.Line(F($"// Input channels in chunks of {path.ChannelChunk}: a block's weights for one chunk stay in L2 while every pixel passes."));
            w.Open(F($"for (nint channelBegin = 0; channelBegin < {channels}; channelBegin += {path.ChannelChunk})"));
            w.Line(F($"nint channelEnd = Math.Min(channelBegin + {path.ChannelChunk}, {channels});"));
        }
        else
        {
            w.Line(F($"const nint channelBegin = 0, channelEnd = {channels};"));
        }

        string rows = "ref x, ref y, ref w, ref b, rowBegin, rowEnd";
        int band = plan.ImageBandRows;
        if (band > 0)
        {
            w.Line(F($"// Bands of {band} output rows, every part over a band before the next: the band's output lines and input rows stay in L1 between the passes."));
            w.Open(F($"for (int band = rowBegin; band < rowEnd; band += {band})"));
            w.Line(F($"int bandEnd = Math.Min(band + {band}, rowEnd);"));
            w.Line(F($"ref float bandOutput = ref Unsafe.Add(ref y, (nint)(band - rowBegin) * {plan.Width.Output * plan.ConvolutionOutputs});"));
            rows = "ref x, ref bandOutput, ref w, ref b, band, bandEnd";
        }

        if (plan.WholeRows)
        {
            foreach (var part in WholeRowParts(path, plan))
            {
                w.Line($"{part.Name}({rows}, blockBegin, blockEnd, channelBegin, channelEnd);");
            }
        }
        else if (plan.Height.InteriorCount > 0 && plan.Width.InteriorCount > 0)
        {
            foreach (var part in InteriorParts(path, plan))
            {
                w.Line($"{part.Name}({rows}, blockBegin, blockEnd, channelBegin, channelEnd);");
            }
        }

        WriteBorderCalls(w, plan.Border, "Border" + suffix, rows, ", blockBegin, blockEnd, channelBegin, channelEnd");
        if (band > 0)
        {
            w.Close();
        }

        if (chunked)
        {
            w.Close();
        }

        w.Close();
    }

    /// <summary>The calls of the border routine, one per line, with the line's taps as constants.</summary>
    private static void WriteBorderCalls(CodeWriter w, EquatableArray<BorderLine> border, string method, string rows, string extra)
    {
        if (border.Count == 0)
        {
            return;
        }

        w.Line("// Border lines: first row and column, pixels, down the column?, valid kernel rows [from, to), valid kernel columns [from, to)");
        foreach (BorderLine line in border)
        {
            w.Line(F($"{method}({rows}, {line.Row}, {line.Column}, {line.Count}, {Bool(line.Down)}, {line.FirstRowTap}, {line.EndRowTap}, {line.FirstColumnTap}, {line.EndColumnTap}{extra});"));
        }
    }

    /// <summary>
    /// The interior methods of a path: one per block shape and tile size, so that no method grows past the size at which
    /// the JIT stops optimizing (it compiles a method of more than about 60 KB of IL, or 8000 local references, without
    /// optimization: measured here, a 7x7 stem whose interior was one method ran 11 times slower).
    /// </summary>
    private static IEnumerable<(string Name, int Block, int Blocks, int Vectors, int LastLanes, int FirstColumn, int Pixels, int Tiles)> InteriorParts(PathPlan path, LayerPlan plan)
    {
        int part = 0;
        foreach (var (first, count, vectors, lastLanes) in Blocks(path))
        {
            int column = plan.Width.InteriorBegin;
            foreach (var (pixels, tiles) in LayerPlanner.BalancedTiles(plan.Width.InteriorCount, path.Pixels))
            {
                yield return (F($"Interior{path.Isa.Suffix}_{part++}"), first / path.BlockChannels, count, vectors, lastLanes, column, pixels, tiles);
                column += pixels * tiles;
            }
        }
    }

    /// <summary>The whole-row methods of a path: one per block shape and run of rows that read the same kernel rows.</summary>
    private static IEnumerable<(string Name, int Block, int Blocks, int Vectors, int LastLanes, TapRunPlan Rows)> WholeRowParts(PathPlan path, LayerPlan plan)
    {
        int part = 0;
        foreach (var (first, count, vectors, lastLanes) in Blocks(path))
        {
            foreach (TapRunPlan rows in plan.Height.Runs)
            {
                yield return (F($"Rows{path.Isa.Suffix}_{part++}"), first / path.BlockChannels, count, vectors, lastLanes, rows);
            }
        }
    }

    /// <summary>
    /// Whole output rows in register tiles across the width. The rows of a run read the same kernel rows; within a row,
    /// each pixel reads the kernel columns its window finds inside the input, so an edge pixel's padded taps are left
    /// out of the unrolled code rather than tested.
    /// </summary>
    private static void WriteWholeRows(CodeWriter w, PathPlan path, LayerPlan plan)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        AxisPlan h = plan.Height, wd = plan.Width;
        int cin = s.InputChannels, outputs = plan.ConvolutionOutputs, taps = s.KernelHeight * s.KernelWidth;
        int row = s.InputWidth * cin;

        bool firstPart = true;
        foreach (var (name, blockIndex, count, vectors, lastLanes, rows) in WholeRowParts(path, plan))
        {
            if (!firstPart)
            {
                w.Line();
            }

            firstPart = false;
            string channelsText = OutputChannelsText(path, blockIndex, count, vectors, lastLanes);
            w.Line(F($"/// <summary>Rows {rows.Begin}..{rows.End - 1} (kernel rows {rows.FirstTap}..{rows.EndTap - 1} inside the input), all {wd.Output} columns, {channelsText} of each group, on the {Name(isa)} path.</summary>"));
            w.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
            w.Open($"private static void {name}(ref float x, ref float y, ref float w, ref float b, int rowBegin, int rowEnd, nint blockBegin, nint blockEnd, nint channelBegin, nint channelEnd)");
            w.Line(F($"nint firstRow = Math.Max({rows.Begin}, rowBegin), endRow = Math.Min({rows.End}, rowEnd);"));
            OpenGroups(w, plan);
            OpenBlocks(w, blockIndex, count);
            w.Line(F($"ref float weights = ref Unsafe.Add(ref w, (group * {GroupWeights(plan, path)}) + (block * {taps * plan.InputChannelsPerGroup * path.BlockChannels}) + (channelBegin * {taps * vectors * isa.Lanes}));"));
            w.Line(F($"ref float bias = ref Unsafe.Add(ref b, ((group * {path.Blocks}) + block) * {path.BlockChannels});"));
            w.Open("for (nint row = firstRow; row < endRow; row++)");
            if (rows.EndTap > rows.FirstTap)
            {
                w.Line(F($"// the input row of kernel row {rows.FirstTap}, column 0"));
                w.Line(F($"ref float input = ref Unsafe.Add(ref x, ((row * {h.Stride}) - {h.PadBegin - (rows.FirstTap * h.Dilation)}) * {row} + (group * {plan.InputChannelsPerGroup}));"));
            }

            w.Line(F($"ref float output = ref Unsafe.Add(ref y, ((row - rowBegin) * {wd.Output * outputs}) + (group * {plan.OutputChannelsPerGroup}) + (block * {path.BlockChannels}));"));
            int column = 0;
            foreach (var (pixels, tiles) in LayerPlanner.BalancedTiles(wd.Output, path.Pixels))
            {
                for (int tile = 0; tile < tiles; tile++, column += pixels)
                {
                    w.Line(F($"// columns {column}..{column + pixels - 1}"));
                    w.Open("");
                    w.Line(column == 0 ? "ref float tileOutput = ref output;" : F($"ref float tileOutput = ref Unsafe.Add(ref output, {column * outputs});"));
                    WriteWholeRowTile(w, plan, path, rows, column, pixels, vectors, lastLanes);
                    w.Close();
                }
            }

            w.Close();
            w.Close();
            CloseGroups(w, plan);
            w.Close();
        }
    }

    /// <summary>One tile of a whole row: the window's taps in the packed order, each read by the pixels whose window has it inside.</summary>
    private static void WriteWholeRowTile(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, int firstColumn, int pixels, int vectors, int lastLanes)
    {
        ShapeModel s = plan.Shape;
        AxisPlan wd = plan.Width;
        int cin = s.InputChannels, row = s.InputWidth * cin, taps = s.KernelHeight * s.KernelWidth;
        TapRunPlan[] columnRuns = Enumerable.Range(firstColumn, pixels).Select(wd.RunOf).ToArray();
        var reads = new List<TapRead>();
        for (int ky = rows.FirstTap; ky < rows.EndTap; ky++)
        {
            for (int kx = 0; kx < s.KernelWidth; kx++)
            {
                int mask = 0;
                for (int p = 0; p < pixels; p++)
                {
                    mask |= columnRuns[p].FirstTap <= kx && kx < columnRuns[p].EndTap ? 1 << p : 0;
                }

                if (mask != 0)
                {
                    int[] readers = Enumerable.Range(0, pixels).Where(p => ((mask >> p) & 1) != 0).Select(p => firstColumn + p).ToArray();
                    string only = readers.Length == pixels ? ""
                        : readers.Length == 1 ? F($" (column {readers[0]} only)")
                        : readers[readers.Length - 1] - readers[0] == readers.Length - 1 ? F($" (columns {readers[0]}..{readers[readers.Length - 1]} only)")
                        : " (columns " + string.Join(", ", readers.Select(r => Int(r))) + " only)";
                    reads.Add(new TapRead(F($"kernel tap ({ky}, {kx}){only}"), ((ky - rows.FirstTap) * plan.Height.Dilation * row) + (kx * wd.Dilation * cin), (ky * s.KernelWidth) + kx, mask));
                }
            }
        }

        new MatrixTile
        {
            Isa = path.Isa, Pixels = pixels, Vectors = vectors, LastLanes = lastLanes,
            PixelInputStep = wd.Stride * cin, PixelOutputStep = plan.ConvolutionOutputs,
            PixelInputOffsets = Enumerable.Range(firstColumn, pixels).Select(c => ((c * wd.Stride) - wd.PadBegin) * cin).ToArray(),
            Taps = reads, ChannelBegin = "channelBegin", ChannelEnd = "channelEnd", ChannelWeightStride = taps * vectors * path.Isa.Lanes,
            ChunkedChannels = path.ChannelChunk < plan.InputChannelsPerGroup ? plan.InputChannelsPerGroup : null,
            Input = "input", Output = "tileOutput", Weights = "weights", Bias = "bias", Activation = s.Activation, Alpha = s.ActivationAlpha,
        }.Write(w);
    }

    private static void WriteInterior(CodeWriter w, PathPlan path, LayerPlan plan)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        AxisPlan h = plan.Height, wd = plan.Width;
        int cin = s.InputChannels, outputs = plan.ConvolutionOutputs, taps = s.KernelHeight * s.KernelWidth;
        int row = s.InputWidth * cin;

        bool firstPart = true;
        foreach (var (name, blockIndex, count, vectors, lastLanes, firstColumn, pixels, tiles) in InteriorParts(path, plan))
        {
            if (!firstPart)
            {
                w.Line();
            }

            firstPart = false;
            int lastColumn = firstColumn + (pixels * tiles) - 1;
            string channelsText = OutputChannelsText(path, blockIndex, count, vectors, lastLanes);
            w.Line(F($"/// <summary>Interior rows {h.InteriorBegin}..{h.InteriorEnd - 1}, columns {firstColumn}..{lastColumn} in {tiles} tile{(tiles == 1 ? "" : "s")} of {pixels} pixels, {channelsText} of each group, on the {Name(isa)} path: every tap inside the input.</summary>"));
            w.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
            w.Open($"private static void {name}(ref float x, ref float y, ref float w, ref float b, int rowBegin, int rowEnd, nint blockBegin, nint blockEnd, nint channelBegin, nint channelEnd)");
            w.Line(F($"nint firstRow = Math.Max({h.InteriorBegin}, rowBegin), endRow = Math.Min({h.InteriorEnd}, rowEnd);"));
            OpenGroups(w, plan);
            OpenBlocks(w, blockIndex, count);
            w.Line(F($"ref float weights = ref Unsafe.Add(ref w, (group * {GroupWeights(plan, path)}) + (block * {taps * plan.InputChannelsPerGroup * path.BlockChannels}) + (channelBegin * {taps * vectors * isa.Lanes}));"));
            w.Line(F($"ref float bias = ref Unsafe.Add(ref b, ((group * {path.Blocks}) + block) * {path.BlockChannels});"));
            w.Open("for (nint row = firstRow; row < endRow; row++)");
            w.Line(F($"ref float input = ref Unsafe.Add(ref x, ((row * {h.Stride}) - {h.PadBegin}) * {row} + {((firstColumn * wd.Stride) - wd.PadBegin) * cin} + (group * {plan.InputChannelsPerGroup}));"));
            w.Line(F($"ref float output = ref Unsafe.Add(ref y, (((row - rowBegin) * {wd.Output}) + {firstColumn}) * {outputs} + (group * {plan.OutputChannelsPerGroup}) + (block * {path.BlockChannels}));"));
            w.OpenLoop("tile", 0, tiles, used: false);
            WriteInteriorTile(w, plan, path, pixels, vectors, lastLanes);
            if (tiles > 1)
            {
                w.Line(F($"input = ref Unsafe.Add(ref input, {pixels * wd.Stride * cin});"));
                w.Line(F($"output = ref Unsafe.Add(ref output, {pixels * outputs});"));
            }

            w.Close();
            w.Close();
            w.Close();
            CloseGroups(w, plan);
            w.Close();
        }
    }

    /// <summary>"output channels a..b": the channels of <paramref name="count"/> blocks from <paramref name="blockIndex"/>, the last one possibly narrower.</summary>
    private static string OutputChannelsText(PathPlan path, int blockIndex, int count, int vectors, int lastLanes)
    {
        int first = blockIndex * path.BlockChannels;
        return F($"output channels {first}..{first + ((count - 1) * path.BlockChannels) + ((vectors - 1) * path.Isa.Lanes) + lastLanes - 1}");
    }

    private static void WriteInteriorTile(CodeWriter w, LayerPlan plan, PathPlan path, int pixels, int vectors, int lastLanes)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        int cin = s.InputChannels, row = s.InputWidth * cin, taps = s.KernelHeight * s.KernelWidth;
        int blockStride = vectors * isa.Lanes;
        bool unrolled = plan.UnrollTaps;
        var reads = new List<TapRead>();
        for (int ky = 0; ky < (unrolled ? s.KernelHeight : 1); ky++)
        {
            for (int kx = 0; kx < s.KernelWidth; kx++)
            {
                string comment = unrolled ? F($"kernel tap ({ky}, {kx})") : F($"kernel column {kx}");
                reads.Add(new TapRead(comment, (ky * plan.Height.Dilation * row) + (kx * plan.Width.Dilation * cin)));
            }
        }

        // A kernel too large to unroll whole loops over its rows inside the tile; each row's columns are unrolled.
        new MatrixTile
        {
            Isa = isa, Pixels = pixels, Vectors = vectors, LastLanes = lastLanes,
            PixelInputStep = plan.Width.Stride * cin, PixelOutputStep = plan.ConvolutionOutputs,
            Taps = reads, ChannelBegin = "channelBegin", ChannelEnd = "channelEnd", ChannelWeightStride = taps * blockStride,
            ChunkedChannels = path.ChannelChunk < plan.InputChannelsPerGroup ? plan.InputChannelsPerGroup : null,
            Input = "input", Output = "output", Weights = "weights", Bias = "bias", Activation = s.Activation, Alpha = s.ActivationAlpha,
            KernelRows = unrolled ? 1 : s.KernelHeight,
            KernelRowInputStep = plan.Height.Dilation * row,
            KernelRowWeightStep = s.KernelWidth * blockStride,
        }.Write(w);
    }

    private static int GroupWeights(LayerPlan plan, PathPlan path)
    {
        int taps = plan.Shape.KernelHeight * plan.Shape.KernelWidth;
        return taps * plan.InputChannelsPerGroup * ((path.FullBlocks * path.BlockChannels) + (path.TailVectors * path.Isa.Lanes));
    }

    /// <summary>The blocks <c>[first, first + count)</c> that fall in the part's <c>[blockBegin, blockEnd)</c>.</summary>
    private static void OpenBlocks(CodeWriter w, int first, int count) =>
        w.Open(count == 1
            ? F($"for (nint block = Math.Max({first}, blockBegin); block < Math.Min({first + 1}, blockEnd); block++)")
            : F($"for (nint block = Math.Max({first}, blockBegin); block < Math.Min({first + count}, blockEnd); block++)"));

    private static void OpenGroups(CodeWriter w, LayerPlan plan)
    {
        if (plan.Groups > 1)
        {
            w.Open(F($"for (nint group = 0; group < {plan.Groups}; group++)"));
        }
        else
        {
            w.Line("const nint group = 0;");
        }
    }

    private static void CloseGroups(CodeWriter w, LayerPlan plan)
    {
        if (plan.Groups > 1)
        {
            w.Close();
        }
    }

    /// <summary>
    /// The border routine: a line of pixels that read the same sub-rectangle of taps, in tiles of up to
    /// <c>BorderPixels</c> pixels with their own input references; the tap loops run over the line's valid range.
    /// </summary>
    private static void WriteBorder(CodeWriter w, PathPlan path, LayerPlan plan)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        AxisPlan h = plan.Height, wd = plan.Width;
        int cin = s.InputChannels, outputs = plan.ConvolutionOutputs, taps = s.KernelHeight * s.KernelWidth, row = s.InputWidth * cin;
        int pixels = path.BorderPixels;

        w.Line($"/// <summary>Border pixels on the {Name(isa)} path: a line of pixels that read kernel rows [firstRowTap, endRowTap) and columns [firstColumnTap, endColumnTap).</summary>");
        w.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
        w.Open($"private static void Border{isa.Suffix}(ref float x, ref float y, ref float w, ref float b, int rowBegin, int rowEnd, int row, int column, int count, bool down, int firstRowTap, int endRowTap, int firstColumnTap, int endColumnTap, nint blockBegin, nint blockEnd, nint channelBegin, nint channelEnd)");
        WriteLineSetup(w, plan, outputs);
        w.Line(F($"nint firstTap = (firstRowTap * {s.KernelWidth}) + firstColumnTap;"));
        OpenGroups(w, plan);
        foreach (var (first, count, vectors, lastLanes) in Blocks(path))
        {
            int blockIndex = first / path.BlockChannels, blockStride = vectors * isa.Lanes;
            OpenBlocks(w, blockIndex, count);
            w.Line(F($"ref float weights = ref Unsafe.Add(ref w, (group * {GroupWeights(plan, path)}) + (block * {taps * plan.InputChannelsPerGroup * path.BlockChannels}) + (channelBegin * {taps * blockStride}));"));
            w.Line(F($"ref float bias = ref Unsafe.Add(ref b, ((group * {path.Blocks}) + block) * {path.BlockChannels});"));
            w.Open(F($"for (nint first = 0; first < count; first += {pixels})"));
            w.Line(F($"// a tile of as many pixels as remain, up to {pixels}: no pixel is computed twice"));
            w.Open(F($"switch (Math.Min({pixels}, count - first))"));
            for (int tile = pixels; tile >= 1; tile--)
            {
                w.Line(tile == 1 ? "default:" : F($"case {tile}:"));
                w.Open("");
                WriteBorderTile(w, plan, path, tile, vectors, lastLanes, blockStride);
                w.Line("break;");
                w.Close();
            }

            w.Close();
            w.Close();
            w.Close();
        }

        CloseGroups(w, plan);
        w.Close();
    }

    /// <summary>
    /// One border tile of <paramref name="pixels"/> consecutive pixels of the line from <c>first</c>: its accumulators
    /// over the line's valid taps (runtime loops over kernel rows and columns, the channel loop innermost), then the stores.
    /// </summary>
    private static void WriteBorderTile(CodeWriter w, LayerPlan plan, PathPlan path, int pixels, int vectors, int lastLanes, int blockStride)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        int cin = s.InputChannels, taps = s.KernelHeight * s.KernelWidth, row = s.InputWidth * cin;
        for (int p = 0; p < pixels; p++)
        {
            string index = p == 0 ? "first" : F($"(first + {p})");
            w.Line(F($"nint input{p} = inputStart + ({index} * inputStep) + (group * {plan.InputChannelsPerGroup}), output{p} = outputStart + ({index} * outputStep) + (group * {plan.OutputChannelsPerGroup}) + (block * {path.BlockChannels});"));
        }

        bool chunked = path.ChannelChunk < plan.InputChannelsPerGroup;
        string Partial(int p, int v) => v == vectors - 1 && lastLanes < isa.Lanes
            ? isa.LoadFirst("y", F($"output{p} + {v * isa.Lanes}"), lastLanes)
            : isa.Load("y", F($"output{p} + {v * isa.Lanes}"));
        w.Line($"{isa.Type} " + string.Join(", ", Enumerable.Range(0, vectors).Select(v => $"bias{v} = {isa.Load("bias", Int(v * isa.Lanes))}")) + ";");
        for (int p = 0; p < pixels; p++)
        {
            w.Line($"{isa.Type} " + string.Join(", ", Enumerable.Range(0, vectors).Select(v => chunked
                ? F($"a{p}_{v} = channelBegin == 0 ? bias{v} : {Partial(p, v)}")
                : F($"a{p}_{v} = bias{v}"))) + ";");
        }

        w.Open("for (nint ky = 0; ky < rows; ky++)");
        w.Open("for (nint kx = 0; kx < columns; kx++)");
        w.Line(F($"nint tap = (ky * {plan.Height.Dilation * row}) + (kx * {plan.Width.Dilation * cin});"));
        w.Line(F($"ref float weight = ref Unsafe.Add(ref weights, (firstTap + (ky * {s.KernelWidth}) + kx) * {blockStride});"));
        for (int p = 0; p < pixels; p++)
        {
            w.Line(F($"ref float x{p} = ref Unsafe.Add(ref x, input{p} + tap);"));
        }

        w.Open("for (nint c = channelBegin; c < channelEnd; c++)");
        w.Line($"{isa.Type} " + string.Join(", ", Enumerable.Range(0, vectors).Select(v => $"w{v} = {isa.Load("weight", Int(v * isa.Lanes))}")) + ";");
        for (int p = 0; p < pixels; p++)
        {
            w.Line($"{isa.Type} x{p}c = {isa.Broadcast(F($"Unsafe.Add(ref x{p}, c)"))};");
            w.Line(string.Join(" ", Enumerable.Range(0, vectors).Select(v => $"a{p}_{v} = {isa.MultiplyAdd(F($"x{p}c"), "w" + Int(v), F($"a{p}_{v}"))};")));
        }

        w.Line(F($"weight = ref Unsafe.Add(ref weight, {taps * blockStride});"));
        w.Close();
        w.Close();
        w.Close();

        if (chunked)
        {
            w.Open(F($"if (channelEnd == {plan.InputChannelsPerGroup})"));
            WriteBorderStores(w, isa, pixels, vectors, lastLanes, s.Activation, s.ActivationAlpha);
            w.Close();
            w.Open("else");
            WriteBorderStores(w, isa, pixels, vectors, lastLanes, Activation.None, 0f);
            w.Close();
        }
        else
        {
            WriteBorderStores(w, isa, pixels, vectors, lastLanes, s.Activation, s.ActivationAlpha);
        }
    }

    /// <summary>The border tile's activation and stores.</summary>
    private static void WriteBorderStores(CodeWriter w, VectorIsa isa, int pixels, int vectors, int lastLanes, Activation activation, float alpha)
    {
        string? inline = ActivationWriter.Inline(isa, activation, alpha, "{0}");
        int width = ((vectors - 1) * isa.Lanes) + lastLanes;
        for (int p = 0; p < pixels; p++)
        {
            var statements = new List<string>();
            for (int v = 0; v < vectors; v++)
            {
                string name = F($"a{p}_{v}");
                string value = inline is null ? name : string.Format(System.Globalization.CultureInfo.InvariantCulture, inline, name);
                string offset = F($"output{p} + {v * isa.Lanes}");
                statements.Add(v == vectors - 1 && lastLanes < isa.Lanes ? isa.StoreFirst(value, "y", offset, lastLanes) : isa.Store(value, "y", offset));
            }

            if (ActivationWriter.NeedsPass(activation))
            {
                statements.Add(ActivationWriter.Pass(F($"Unsafe.Add(ref y, output{p})"), Int(width), activation, alpha));
            }

            w.Line(string.Join(" ", statements));
        }
    }

    /// <summary>
    /// The start of every border routine: the line clipped to the rows asked for, the tap counts, the steps between
    /// its pixels and the input under its first pixel's first valid tap (0 when no tap is valid: nothing is read).
    /// </summary>
    public static void WriteLineSetup(CodeWriter w, LayerPlan plan, int outputs)
    {
        AxisPlan h = plan.Height, wd = plan.Width;
        int cin = plan.Shape.InputChannels, row = plan.Shape.InputWidth * cin;
        w.Open("if (down)");
        w.Line("int from = Math.Max(row, rowBegin), to = Math.Min(row + count, rowEnd);");
        w.Open("if (from >= to)");
        w.Line("return;");
        w.Close();
        w.Line("count = to - from;");
        w.Line("row = from;");
        w.Close();
        w.Open("else if (row < rowBegin || row >= rowEnd)");
        w.Line("return;");
        w.Close();
        w.Line();
        w.Line("nint rows = endRowTap - firstRowTap, columns = endColumnTap - firstColumnTap;");
        w.Line(F($"nint inputStep = down ? {h.Stride * row} : {wd.Stride * cin}, outputStep = down ? {wd.Output * outputs} : {outputs};"));
        w.Line(F($"nint inputStart = rows > 0 && columns > 0 ? ((((nint)row * {h.Stride}) - {h.PadBegin} + (firstRowTap * {h.Dilation})) * {row}) + ((((nint)column * {wd.Stride}) - {wd.PadBegin} + (firstColumnTap * {wd.Dilation})) * {cin}) : 0;"));
        w.Line(F($"nint outputStart = ((((nint)row - rowBegin) * {wd.Output}) + column) * {outputs};"));
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using SpecializedConv.Generators.Model;
using SpecializedConv.Generators.Planner;
using static SpecializedConv.Generators.Emitter.LayerEmitter;
using static SpecializedConv.Generators.Planner.VectorIsa;

namespace SpecializedConv.Generators.Emitter;

/// <summary>
/// The depthwise kernel. Rows are the outer loop, so a row's input lines stay in L1 while every channel vector
/// passes over them; each run of rows that read the same kernel rows gets its own method, and inside it each run of
/// columns that read the same kernel columns its own tiles. Every tap range is a constant: border pixels run the
/// same register tiles as the interior, with the taps that fall in the padding left out at generation time.
/// </summary>
internal static class DepthwiseEmitter
{
    public static void WriteLayer(CodeWriter w, LayerPlan plan)
    {
        ShapeModel s = plan.Shape;
        int taps = s.KernelHeight * s.KernelWidth, channels = plan.ConvolutionOutputs;
        int inputLength = s.InputHeight * s.InputWidth * s.InputChannels, outputLength = plan.Height.Output * plan.Width.Output * channels;

        DirectEmitter.WritePathSwitch(w, "Packs the weights as [channel vector][tap][lanes] (a vector's whole kernel contiguous), or expanded along the row for flat rows.",
            "public static PackedWeights PackWeights(int path, ReadOnlySpan<float> weights)", plan.Paths, path => PackExpression(plan, path, "weights"));
        w.Line();
        DirectEmitter.WritePathSwitch(w, "The bias rounded up to whole vectors, or repeated along the row for flat rows (zeros without bias).",
            "public static PackedWeights PackBias(int path, ReadOnlySpan<float> bias)", plan.Paths, path => BiasExpression(plan, path, "bias"));
        w.Line();
        DirectEmitter.WriteForward(w, plan.Paths.ToList(), inputLength, outputLength, plan.Height.Output, plan.Width.Output * channels, Blocks);
        foreach (PathPlan path in plan.Paths)
        {
            WriteImage(w, plan, path, "", s.Activation, s.ActivationAlpha);
        }
    }

    /// <summary>The packing of a path's weights: expanded along the row for flat rows, else by channel vector.</summary>
    public static string PackExpression(LayerPlan plan, PathPlan path, string weights)
    {
        ShapeModel s = plan.Shape;
        int channels = plan.ConvolutionOutputs;
        return path.Shifted is not null ? F($"PackedWeights.DepthwiseShifted({weights}, {s.KernelHeight * s.KernelWidth}, {channels}, {path.Isa.Lanes})")
            : path.FlatRows
            ? F($"PackedWeights.DepthwiseRows({weights}, {s.KernelHeight}, {s.KernelWidth}, {channels}, {s.InputWidth}, {plan.Width.Output}, {plan.Width.Dilation}, {plan.Width.PadBegin}, {path.Isa.Lanes})")
            : F($"PackedWeights.Depthwise({weights}, {PackedTaps(plan)}, {channels}, {path.Isa.Lanes})");
    }

    /// <summary>The packing of a path's bias (<c>default</c> for none): repeated along the row for flat rows.</summary>
    public static string BiasExpression(LayerPlan plan, PathPlan path, string bias)
    {
        int channels = plan.ConvolutionOutputs;
        return path.Shifted is not null ? F($"PackedWeights.BiasShifted({bias}, {channels}, {path.Isa.Lanes})")
            : path.FlatRows
            ? F($"PackedWeights.BiasRow({bias}, {channels}, {plan.Width.Output}, {path.Isa.Lanes})")
            : F($"PackedWeights.Bias({bias}, {channels}, 1, {RoundUp(channels, path.Isa.Lanes)})");
    }

    /// <summary>The parts a parallel Forward may split a path into: channel vectors, or none for flat rows.</summary>
    public static int Blocks(PathPlan path) => path.FlatRows ? 1 : path.FullBlocks + (path.TailChannels > 0 ? 1 : 0);

    /// <summary>
    /// One path's image method (rows [rowBegin, rowEnd) into <c>y</c> from its row rowBegin) and a method per row run,
    /// named with <paramref name="prefix"/> (the separable layer's depthwise step uses its own).
    /// </summary>
    public static void WriteImage(CodeWriter w, LayerPlan plan, PathPlan path, string prefix, Activation activation, float alpha)
    {
        if (path.FlatRows)
        {
            WriteFlatImage(w, plan, path, prefix, activation, alpha);
            return;
        }

        WriteImageMethod(w, plan, path, prefix, activation, alpha);
        if (path.Shifted is { } shifted)
        {
            WriteImageMethod(w, plan, shifted, prefix + ShiftedPrefix, activation, alpha);
            if (shifted.JustPast is { } strided)
            {
                WriteImageMethod(w, plan, strided, prefix + ShiftedPrefix + StridedPrefix, activation, alpha);
            }
        }
    }

    /// <summary>
    /// One image method and its row methods; on a path with a <see cref="PathPlan.Shifted"/> plan it first hands an input
    /// an even number of floats past a line to it, and on that plan (<see cref="PathPlan.ShiftedWindows"/>) it is its set.
    /// </summary>
    private static void WriteImageMethod(CodeWriter w, LayerPlan plan, PathPlan path, string prefix, Activation activation, float alpha)
    {
        bool shiftedSet = path.Shifted is not null;
        string suffix = path.Isa.Suffix;
        int vectors = path.FullBlocks + (path.TailChannels > 0 ? 1 : 0);
        string shift = path.ShiftedWindows ? ", shift" : "";
        w.Line();
        w.Line($"/// <summary>Output rows [rowBegin, rowEnd) of one image on the {Name(path.Isa)} path{PlanNote(prefix)}, into <paramref name=\"y\"/> from its row rowBegin.</summary>");
        w.Open($"private static void {prefix}Image{suffix}(ref float x, ref float y, ref float w, ref float b, int rowBegin, int rowEnd, nint vectorBegin, nint vectorEnd{(path.ShiftedWindows ? ", nint shift" : "")})");
        // Where the input lies against the cache lines decides the plan: asked once.
        bool lineOffsetAsked = path.OnLine is not null || shiftedSet || path.RealignedLoads;
        if (lineOffsetAsked)
        {
            w.Line("int lineOffset = global::SpecializedConv.Runtime.CacheLine.FloatOffset(ref x);");
        }

        const string arguments = "ref x, ref y, ref w, ref b, rowBegin, rowEnd, vectorBegin, vectorEnd";
        if (path.OnLine is not null)
        {
            WriteHandOff(w, "lineOffset == 0", F($"{prefix}{OnLinePrefix}Image{suffix}({arguments})"),
                "// An input that starts on a 64-byte line is read in place, in groups walking down the rows: no copy.");
        }

        if (shiftedSet)
        {
            WriteHandOff(w, F($"lineOffset != 0 && (lineOffset & 1) == 0 && vectorBegin == 0 && vectorEnd >= {vectors}"), F($"{prefix}{ShiftedPrefix}Image{suffix}({arguments}, {path.Isa.Lanes} - lineOffset)"),
                "// An input an even number of floats past a 64-byte line (a float[] 7 times in 8) would make every load straddle two",
                "// lines: the shifted set cuts its vectors at the input's line boundaries instead, all channels at once, in place.");
        }

        if (path.JustPast is not null)
        {
            int pixelBytes = plan.ConvolutionOutputs * sizeof(float), window = 4 * path.Isa.Lanes * sizeof(float);
            WriteHandOff(w, F($"StoreAliasing.OutputJustPast(ref x, ref y, {pixelBytes}, {window})"), F($"{prefix}{StridedPrefix}Image{suffix}({arguments}, shift)"),
                "// An output just past the input modulo 4 KiB (two float[]s of a multiple of 4 KiB allocated in turn) would make each",
                "// tile's loads wait on the stores of the tile before, the neighbouring vector: the strided set takes them apart.");
        }

        string range, firstRow = "rowBegin", endRow = "rowEnd";
        string inner = path.ChannelInner ? "; within a row each tile of pixels runs every vector of the pass" : "";
        bool staged = path.StagedPixelFloats > 0;
        string input = "ref x";
        if (staged)
        {
            ShapeModel s = plan.Shape;
            AxisPlan h = plan.Height;
            int perPass = Math.Min(path.VectorsPerPass, vectors), lanes = path.Isa.Lanes;
            int pixelBytes = s.InputChannels * sizeof(float), sets = 4096 / Gcd(pixelBytes, 4096);
            w.Line(F($"// Pixels {pixelBytes} bytes apart put one vector of every pixel in {(sets == 1 ? "one L1 set" : F($"{sets} L1 sets"))}: each pass of {perPass} channel"));
            w.Line(F($"// vectors is first copied to an aligned area, pixels {path.StagedPixelFloats * sizeof(float)} bytes (an odd number of lines) apart; its tiles read the copy."));
            w.Line(F($"ref float staged = ref global::SpecializedConv.Runtime.ChannelStaging.Area({s.InputHeight * s.InputWidth * path.StagedPixelFloats});"));
            w.Line(F($"nint firstPixel = Math.Max(0, (rowBegin * {h.Stride}) - {h.PadBegin}) * {s.InputWidth};"));
            w.Line(F($"nint endPixel = Math.Min({s.InputHeight}, ((rowEnd - 1) * {h.Stride}) - {h.PadBegin} + {((h.Kernel - 1) * h.Dilation) + 1}) * {s.InputWidth};"));
            w.Open(F($"for (nint pass = vectorBegin; pass < vectorEnd; pass += {perPass})"));
            w.Line(F($"nint passEnd = Math.Min(pass + {perPass}, vectorEnd);"));
            w.Line(F($"global::SpecializedConv.Runtime.ChannelStaging.Stage(ref x, {s.InputChannels}, ref staged, {path.StagedPixelFloats}, firstPixel, endPixel, pass * {lanes}, (passEnd - pass) * {lanes});"));
            range = "pass, passEnd, pass";
            input = "ref staged";
        }
        else if (path.WalkDown != WalkDown.None)
        {
            w.Line(F($"// One pass over all {vectors} channel vectors, the tiles walking down the rows (see the row methods)."));
            range = "vectorBegin, vectorEnd";
        }
        else if (path.VectorsPerPass >= vectors)
        {
            w.Line(F($"// Rows outermost: the kernel's input rows for all {vectors} channel vector{(vectors == 1 ? "" : "s")} fit in L1{inner}."));
            range = "vectorBegin, vectorEnd";
        }
        else
        {
            w.Line(F($"// {path.VectorsPerPass} channel vector{(path.VectorsPerPass == 1 ? "" : "s")} per pass down the image, so that a pass's input rows stay in L1{inner}."));
            if (path.PassBandRows > 0)
            {
                w.Line(F($"// In bands of {path.PassBandRows} output rows, every pass over a band before the next: the band's lines stay in L2 from pass to pass."));
                w.Open(F($"for (int band = rowBegin; band < rowEnd; band += {path.PassBandRows})"));
                w.Line(F($"int bandEnd = Math.Min(band + {path.PassBandRows}, rowEnd);"));
                firstRow = "band";
                endRow = "bandEnd";
            }

            w.Open(F($"for (nint pass = vectorBegin; pass < vectorEnd; pass += {path.VectorsPerPass})"));
            range = F($"pass, Math.Min(pass + {path.VectorsPerPass}, vectorEnd)");
        }

        int realignedRows = path.RealignedLoads ? RowsBeforeLastInputRow(plan.Height) : 0;
        string plainBegin = firstRow;
        if (path.RealignedLoads)
        {
            w.Line("// On an input off a 64-byte line boundary every load of a group would straddle two lines: the realigned rows load");
            w.Line("// whole lines and shift the lanes into place. Not the rows that read the last input row: its last shift would read past it.");
            w.Line(F($"int realignedEnd = lineOffset == 0 ? rowBegin : Math.Clamp({realignedRows}, rowBegin, rowEnd);"));
            plainBegin = "realignedEnd";
        }

        w.Line("// Runs of rows that read the same kernel rows");
        for (int r = 0; r < plan.Height.Runs.Count; r++)
        {
            TapRunPlan run = plan.Height.Runs[r];
            if (run.Begin < realignedRows)
            {
                w.Line(F($"{prefix}RealignedRows{suffix}_{r}({input}, ref y, ref w, ref b, Math.Max({run.Begin}, rowBegin), Math.Min({run.End}, realignedEnd), rowBegin, {range}, lineOffset); // kernel rows [{run.FirstTap}, {run.EndTap})"));
            }

            w.Line(F($"{prefix}Rows{suffix}_{r}({input}, ref y, ref w, ref b, Math.Max({run.Begin}, {plainBegin}), Math.Min({run.End}, {endRow}), rowBegin, {range}{shift}); // kernel rows [{run.FirstTap}, {run.EndTap})"));
        }

        if (staged || path.VectorsPerPass < vectors)
        {
            w.Close();
        }

        if (path.PassBandRows > 0)
        {
            w.Close();
        }

        w.Close();
        for (int r = 0; r < plan.Height.Runs.Count; r++)
        {
            if (plan.Height.Runs[r].Begin < realignedRows)
            {
                w.Line();
                WriteRows(w, plan, path, prefix, r, activation, alpha);
            }

            w.Line();
            WriteRows(w, plan, path with { RealignedLoads = false }, prefix, r, activation, alpha);
        }

        if (path.OnLine is not null)
        {
            WriteImage(w, plan, path.OnLine, prefix + OnLinePrefix, activation, alpha);
        }
    }

    /// <summary>What the methods of a path's <see cref="PathPlan.OnLine"/> plan are named after.</summary>
    private const string OnLinePrefix = "OnLine";

    /// <summary>
    /// Whether a path's shifted set keeps each pixel's vectors to itself, the one left over wrapping from the pixel's end
    /// to its start (groups, and one-vector tiles across strided columns), rather than reaching into the next pixel.
    /// </summary>
    /// <summary>An image method's hand-off to another set's image method: the comment why, then the call where it applies.</summary>
    private static void WriteHandOff(CodeWriter w, string condition, string call, params string[] why)
    {
        foreach (string line in why)
        {
            w.Line(line);
        }

        w.Open(F($"if ({condition})"));
        w.Line(call + ";");
        w.Line("return;");
        w.Close();
        w.Line();
    }

    private static bool Wraps(LayerPlan plan, PathPlan path) => path.ShiftedWindows && (path.Vectors > 1 || plan.Width.Stride > 1);

    /// <summary>
    /// The two constants of a wrapping tile, declared in its block so that they hold no register in the tiles after it:
    /// the lanes that come from the pixel's end, and the rotation that stores the vector.
    /// </summary>
    private static void WriteWrapConstants(CodeWriter w)
    {
        w.Line("// the wrapping vector: lanes below 16 - shift from the pixel's end, the others from its start; rotated to store");
        w.Line("Vector512<float> wrapLanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(16 - (int)shift)).AsSingle();");
        w.Line("Vector512<int> rotate = (Vector512<int>.Indices + Vector512.Create(16 - (int)shift)) & Vector512.Create(15);");
    }

    /// <summary>
    /// The load of a wrapping vector whose pixel's first vector from <c>shift</c> is at <paramref name="at"/> from
    /// <paramref name="input"/>: the lanes below <c>16 - shift</c> from the aligned vector ending the pixel, the others
    /// from the aligned vector before its first. Where a tile may read the image's first pixel or its last
    /// (<paramref name="mayBeFirst"/>, <paramref name="mayBeLast"/>), whose neighbouring lines are not the caller's,
    /// the load goes through <c>WrappedVector</c>, which checks.
    /// </summary>
    private static string WrapLoad(VectorIsa isa, string input, int at, int channels, bool mayBeFirst, bool mayBeLast, int imageFloats)
    {
        int endAt = at + channels - isa.Lanes, beforeAt = at - isa.Lanes;
        string end = mayBeLast
            ? F($"WrappedVector.End(ref Unsafe.Add(ref {input}, {endAt}), shift, ref Unsafe.Add(ref x, {imageFloats - isa.Lanes}))")
            : isa.Load(input, Int(endAt));
        string before = mayBeFirst
            ? F($"WrappedVector.Before(ref Unsafe.Add(ref {input}, {at}), shift, ref x)")
            : F($"Vector512.LoadUnsafe(ref Unsafe.Add(ref {input}, {beforeAt}))");
        return F($"v = Vector512.ConditionalSelect(wrapLanes, {end}, {before});");
    }

    /// <summary>
    /// The store of a wrapping vector <paramref name="value"/> for the pixel at <paramref name="at"/> from
    /// <paramref name="output"/>: rotated (into <paramref name="target"/>) so that its first <c>shift</c> lanes land in
    /// the pixel's first 16 channels and its others in its last 16, and stored at both; the lanes between are written
    /// again by the next vector and by the pixel's last one.
    /// </summary>
    private static string WrapStore(VectorIsa isa, string target, string value, string output, int at, int channels) =>
        F($"{target} = global::System.Runtime.Intrinsics.X86.Avx512F.PermuteVar16x32({value}, rotate); {isa.Store(target, output, Int(at))} {isa.Store(target, output, Int(at + channels - isa.Lanes))}");

    /// <summary>What the methods of a path's <see cref="PathPlan.ShiftedWindows"/> set are named after.</summary>
    private const string ShiftedPrefix = "Shifted";

    /// <summary>What the methods of a shifted plan's <see cref="PathPlan.JustPast"/> set add to their names.</summary>
    private const string StridedPrefix = "Strided";

    /// <summary>The words a method summary adds for the on-line plan's and the shifted plan's methods ("" for the others).</summary>
    private static string PlanNote(string prefix) =>
        prefix.EndsWith(OnLinePrefix, StringComparison.Ordinal) ? ", for an input that starts on a 64-byte line"
        : prefix.EndsWith(ShiftedPrefix, StringComparison.Ordinal) ? ", for an input an even number of floats past a 64-byte line, vectors cut at its line boundaries"
        : prefix.EndsWith(ShiftedPrefix + StridedPrefix, StringComparison.Ordinal) ? ", shifted, for an output just past the input modulo 4 KiB, vectors taken apart"
        : "";

    /// <summary>The output rows before the first whose window reaches the last input row.</summary>
    private static int RowsBeforeLastInputRow(AxisPlan h)
    {
        int reach = h.Input - 1 + h.PadBegin - ((h.Kernel - 1) * h.Dilation);
        return Math.Min(h.Output, reach <= 0 ? 0 : (reach + h.Stride - 1) / h.Stride);
    }

    private static string Name(VectorIsa isa) => isa.IsScalar ? "scalar" : isa.Vector;

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The rows of one run: per row, per channel vector of [vectorBegin, vectorEnd), a tile per column run (balanced tiles in the interior run).</summary>
    private static void WriteRows(CodeWriter w, LayerPlan plan, PathPlan path, string prefix, int runIndex, Activation activation, float alpha)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        AxisPlan h = plan.Height, wd = plan.Width;
        TapRunPlan rows = h.Runs[runIndex];
        int channels = plan.ConvolutionOutputs, lanes = isa.Lanes;

        string realigned = path.RealignedLoads ? ", the group loads realigned from whole lines" : PlanNote(prefix);
        w.Line(F($"/// <summary>Rows {rows.Begin}..{rows.End - 1} on the {Name(isa)} path{realigned}: kernel rows [{rows.FirstTap}, {rows.EndTap}) fall inside the input.</summary>"));
        w.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
        w.Open($"private static void {prefix}{(path.RealignedLoads ? "Realigned" : "")}Rows{isa.Suffix}_{runIndex}(ref float x, ref float y, ref float w, ref float b, nint firstRow, nint endRow, nint rowBegin, nint vectorBegin, nint vectorEnd{(path.StagedPixelFloats > 0 ? ", nint stagedVector" : "")}{(path.RealignedLoads ? ", int lineOffset" : "")}{(path.ShiftedWindows ? ", nint shift" : "")})");
        if (path.RealignedLoads)
        {
            w.Line("// lane i of a vector is lane lineOffset + i of the two lines it straddles");
            w.Line("Vector512<int> realign = Vector512<int>.Indices + Vector512.Create(lineOffset);");
        }

        if (path.ShiftedWindows)
        {
            w.Line("// the weights and bias packed for this shift: lane l of vector v is channel shift + v x lanes + l (modulo the channels)");
            w.Line(F($"ref float shiftedWeights = ref Unsafe.Add(ref w, (shift / 2) * {s.KernelHeight * s.KernelWidth * channels}), shiftedBias = ref Unsafe.Add(ref b, (shift / 2) * {channels});"));
        }

        if (path.WalkDown != WalkDown.None)
        {
            w.Line(path.WalkDown == WalkDown.EachTile
                ? "// Each tile walks down all the rows with every channel vector, then the next tile along the row."
                : path.PairedWalk ? "// Each group of channel vectors (or pair of groups, see below) walks its tile down all the rows before the next."
                : "// Each group of channel vectors walks its tile down all the rows before the next group.");
            w.Open("if (firstRow < endRow)");
            w.Line("nint row = firstRow, downRows = endRow - firstRow;");
            WriteRowBody(w, plan, path, rows, 1, activation, alpha);
            w.Close();
            w.Close();
            return;
        }

        if (path.TileRows > 1 && rows.End - rows.Begin >= path.TileRows)
        {
            w.Line(F($"// {path.TileRows} output rows a tile: the input rows they share are loaded once for both"));
            w.Line("nint row = firstRow;");
            w.Open(F($"for (; row + {path.TileRows} <= endRow; row += {path.TileRows})"));
            WriteRowBody(w, plan, path, rows, path.TileRows, activation, alpha);
            w.Close();
            w.Open("for (; row < endRow; row++)");
        }
        else
        {
            w.Open("for (nint row = firstRow; row < endRow; row++)");
        }

        WriteRowBody(w, plan, path, rows, 1, activation, alpha);
        w.Close();
        w.Close();
    }

    /// <summary>
    /// The body of the row loop for <paramref name="tileRows"/> output rows from <c>row</c>: the references to the rows,
    /// the tiles, then the exp-based activation over the rows written.
    /// </summary>
    private static void WriteRowBody(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, int tileRows, Activation activation, float alpha)
    {
        ShapeModel s = plan.Shape;
        AxisPlan h = plan.Height, wd = plan.Width;
        int channels = plan.ConvolutionOutputs, lanes = path.Isa.Lanes;
        if (rows.EndTap > rows.FirstTap)
        {
            w.Line(F($"ref float inputRow = ref Unsafe.Add(ref x, (((row * {h.Stride}) - {h.PadBegin} + {rows.FirstTap * h.Dilation}) * {s.InputWidth * InputPixel(plan, path)}));"));
        }
        else
        {
            w.Line("ref float inputRow = ref x; // no kernel row reaches the input: the outputs are the bias");
        }

        w.Line(F($"ref float outputRow = ref Unsafe.Add(ref y, (row - rowBegin) * {wd.Output * channels});"));
        if (path.ChannelInner && path.WholeRowTiles && path.ShiftedWindows && !Wraps(plan, path))
        {
            WriteShiftedRow(w, plan, path, rows, tileRows, activation, alpha);
        }
        else if (path.ChannelInner && path.WholeRowTiles)
        {
            WriteChannelInnerRow(w, plan, path, rows, tileRows, activation, alpha);
        }
        else if (path.ChannelInner)
        {
            foreach (TapRunPlan columns in wd.Runs)
            {
                if (path.ShiftedWindows && !Wraps(plan, path) && columns.End - columns.Begin >= 2)
                {
                    WriteShiftedRun(w, plan, path, rows, columns, tileRows, activation, alpha);
                }
                else
                {
                    WriteChannelInnerRun(w, plan, path with { ShiftedWindows = Wraps(plan, path) }, rows, columns, tileRows, activation, alpha);
                }
            }
        }
        else
        {
            WriteVectorOuterRow(w, plan, path, rows, activation, alpha);
        }

        if (ActivationWriter.NeedsPass(activation))
        {
            string target = "outputRow";
            bool manyRows = tileRows > 1 || path.WalkDown != WalkDown.None;
            w.Line(F($"// the exp-based activation over the row{(manyRows ? "s" : "")} just written (inside the tiles it would spill their accumulators)"));
            w.Line("// (only over this part's channel vectors: a parallel part may own the others)");
            if (manyRows)
            {
                w.Open(F($"for (nint tileRow = 0; tileRow < {(path.WalkDown != WalkDown.None ? "downRows" : Int(tileRows))}; tileRow++)"));
                w.Line(F($"ref float activatedRow = ref Unsafe.Add(ref outputRow, tileRow * {wd.Output * channels});"));
                target = "activatedRow";
            }

            w.Open(F($"if (vectorBegin == 0 && vectorEnd >= {Blocks(path)})"));
            w.Line(ActivationWriter.Pass(target, Int(wd.Output * channels), activation, alpha));
            w.Close();
            w.Open("else");
            w.Line(F($"nint firstChannel = vectorBegin * {lanes}, channelCount = Math.Min(vectorEnd * {lanes}, {channels}) - firstChannel;"));
            w.Open(F($"for (nint pixel = 0; pixel < {wd.Output}; pixel++)"));
            w.Line(ActivationWriter.Pass(F($"Unsafe.Add(ref {target}, (pixel * {channels}) + firstChannel)"), "(int)channelCount", activation, alpha));
            w.Close();
            w.Close();
            if (manyRows)
            {
                w.Close();
            }
        }
    }

    /// <summary>A row, vectors outer: per channel vector its kernel weights in registers, then a tile per column run.</summary>
    private static void WriteVectorOuterRow(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, Activation activation, float alpha)
    {
        int lanes = path.Isa.Lanes;
        foreach (var (first, count, vectorLanes) in Vectors(path))
        {
            bool masked = vectorLanes < lanes;
            w.Line(masked
                ? F($"// the last {vectorLanes} channel{(vectorLanes == 1 ? "" : "s")}, loaded and stored masked")
                : F($"// {count} vector{(count == 1 ? "" : "s")} of {lanes} channels"));
            OpenVectorLoop(w, plan, path, rows, 0, plan.Shape.KernelWidth, (first, count, vectorLanes), "inputRow", "outputRow");
            foreach (TapRunPlan columns in plan.Width.Runs)
            {
                WriteColumnRun(w, plan, path, rows, columns, vectorLanes, activation, alpha);
            }

            CloseVectorLoop(w, path);
        }
    }

    /// <summary>
    /// A row, channels inner: tiles across the whole row, edges included (each pixel reads the kernel columns its window
    /// finds inside the input), each computing every channel vector of [vectorBegin, vectorEnd) before the next tile.
    /// </summary>
    private static void WriteChannelInnerRow(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, int tileRows, Activation activation, float alpha)
    {
        int column = 0;
        foreach (var (pixels, repeat) in LayerPlanner.BalancedTiles(plan.Width.Output, path.Pixels))
        {
            for (int tile = 0; tile < repeat; tile++, column += pixels)
            {
                w.Line(F($"// columns {column}..{column + pixels - 1}"));
                bool ownScope = path.Vectors > 1 || path.ShiftedWindows;
                if (ownScope)
                {
                    w.Open(""); // each tile's own group counter and shifted references
                }

                var (tileInput, tileOutput) = OpenTileDown(w, plan, path, "inputRow", "outputRow");
                string? start = WriteGroups(w, plan, path, rows, null, column, pixels, tileInput, tileOutput, activation, alpha);
                WriteSingleVectors(w, plan, path, rows, null, column, pixels, tileRows, tileInput, tileOutput, start, activation, alpha);

                CloseTileDown(w, path);

                if (ownScope)
                {
                    w.Close();
                }
            }
        }
    }

    /// <summary>
    /// One column run, channels inner: the run's tiles in turn, each computing every channel vector of
    /// [vectorBegin, vectorEnd) (kernel weights loaded into registers per vector) before the next tile.
    /// </summary>
    private static void WriteChannelInnerRun(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan columns, int tileRows, Activation activation, float alpha)
    {
        AxisPlan wd = plan.Width;
        int channels = plan.ConvolutionOutputs;
        w.Line(F($"// columns {columns.Begin}..{columns.End - 1}: kernel columns [{columns.FirstTap}, {columns.EndTap})"));
        w.Open("");
        w.Line(F($"ref float tileInput = ref Unsafe.Add(ref inputRow, {((columns.Begin * wd.Stride) - wd.PadBegin + (columns.FirstTap * wd.Dilation)) * InputPixel(plan, path)});"));
        w.Line(F($"ref float tileOutput = ref Unsafe.Add(ref outputRow, {columns.Begin * channels});"));
        foreach (var (pixels, repeat) in LayerPlanner.BalancedTiles(columns.End - columns.Begin, path.Pixels))
        {
            w.OpenLoop("tile", 0, repeat, used: false);
            var (downInput, downOutput) = OpenTileDown(w, plan, path, "tileInput", "tileOutput");
            string? start = WriteGroups(w, plan, path, rows, columns, -1, pixels, downInput, downOutput, activation, alpha);
            WriteSingleVectors(w, plan, path, rows, columns, -1, pixels, tileRows, downInput, downOutput, start, activation, alpha);

            CloseTileDown(w, path);

            w.Line(F($"tileInput = ref Unsafe.Add(ref tileInput, {pixels * wd.Stride * InputPixel(plan, path)});"));
            w.Line(F($"tileOutput = ref Unsafe.Add(ref tileOutput, {pixels * channels});"));
            w.Close();
        }

        w.Close();
    }

    /// <summary>
    /// A row of the shifted set in tiles across the whole row, edges included: each pixel's vectors start <c>shift</c>
    /// floats in, and all but its last stay inside the pixel, so every pixel reads its own taps. A pixel's last vector
    /// reaches into the next pixel's first channels, right only where the next pixel reads the same taps one column on
    /// (same column run); the other pixels' last channels, and the first channels of pixels no such vector reaches, are
    /// plain vectors after the tile.
    /// </summary>
    private static void WriteShiftedRow(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, int tileRows, Activation activation, float alpha)
    {
        AxisPlan wd = plan.Width;
        int lanes = path.Isa.Lanes, vectors = plan.ConvolutionOutputs / lanes, outputs = wd.Output;
        PathPlan plain = path with { ShiftedWindows = false };
        bool SameRunAsNext(int column) => column + 1 < outputs && wd.RunOf(column) == wd.RunOf(column + 1);
        bool SameRunAsPrevious(int column) => column > 0 && SameRunAsNext(column - 1);

        // Consecutive columns of [first, first + count) that satisfy a test, as (first column, count) segments.
        IEnumerable<(int First, int Count)> Segments(int first, int count, Func<int, bool> test)
        {
            for (int column = first; column < first + count;)
            {
                int end = column;
                while (end < first + count && test(end))
                {
                    end++;
                }

                if (end > column)
                {
                    yield return (column, end - column);
                }

                column = Math.Max(end, column + 1);
            }
        }

        void Tiles(PathPlan tilePath, (int First, int Count, int Lanes) vectorRange, string weights, string bias, IEnumerable<(int First, int Count)> segments, string input, string output)
        {
            foreach (var (first, count) in segments)
            {
                WriteVectorTiles(w, plan, tilePath, rows, null, first, count, tileRows, vectorRange, input, output, activation, alpha, packedWeights: weights, packedBias: bias);
            }
        }

        // Walking down, each tile takes its rows in turn (OpenTileDown), so the shifted references are the tile's own.
        bool walk = path.WalkDown == WalkDown.EachTile;
        void ShiftedReferences(string input, string output) =>
            w.Line($"ref float shiftedInputRow = ref Unsafe.Add(ref {input}, shift), shiftedOutputRow = ref Unsafe.Add(ref {output}, shift);");
        if (!walk)
        {
            ShiftedReferences("inputRow", "outputRow");
        }

        int column = 0;
        foreach (var (pixels, repeat) in LayerPlanner.BalancedTiles(outputs, path.Pixels))
        {
            for (int tile = 0; tile < repeat; tile++, column += pixels)
            {
                w.Line(F($"// columns {column}..{column + pixels - 1}, vectors from shift floats into each pixel"));
                var (input, output) = OpenTileDown(w, plan, path, "inputRow", "outputRow");
                if (walk)
                {
                    ShiftedReferences(input, output);
                }

                if (vectors > 1)
                {
                    Tiles(path, (0, vectors - 1, lanes), "shiftedWeights", "shiftedBias", [(column, pixels)], "shiftedInputRow", "shiftedOutputRow");
                }

                w.Line("// the last vector, where the next pixel reads the same taps one column on");
                Tiles(path, (vectors - 1, 1, lanes), "shiftedWeights", "shiftedBias", Segments(column, pixels, SameRunAsNext), "shiftedInputRow", "shiftedOutputRow");
                w.Line("// plain vectors: the first 16 channels where no vector reached, the last 16 where the last vector stopped");
                Tiles(plain, (0, 1, lanes), "w", "b", Segments(column, pixels, c => !SameRunAsPrevious(c)), input, output);
                Tiles(plain, (vectors - 1, 1, lanes), "w", "b", Segments(column, pixels, c => !SameRunAsNext(c)), input, output);
                CloseTileDown(w, path);
            }
        }
    }

    /// <summary>
    /// One column run of the shifted set: the run's pixels as one flat line of channels, its vectors starting
    /// <c>shift</c> floats into each pixel (on the input's line boundaries), so a pixel's last vector ends in the next
    /// pixel's first channels, which read the same taps one pixel on. Tiles as <see cref="WriteChannelInnerRun"/>'s, against
    /// the weights packed for the shift; the last tile's last vector leaves out its last pixel, whose channels would reach
    /// past the run. The run's first 16 channels and its last 16 are then plain vectors.
    /// </summary>
    private static void WriteShiftedRun(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan columns, int tileRows, Activation activation, float alpha)
    {
        AxisPlan wd = plan.Width;
        int channels = plan.ConvolutionOutputs, lanes = path.Isa.Lanes, vectors = channels / lanes, count = columns.End - columns.Begin;
        PathPlan plain = path with { ShiftedWindows = false };
        var tiles = LayerPlanner.BalancedTiles(count, path.Pixels).ToList();
        w.Line(F($"// columns {columns.Begin}..{columns.End - 1}: kernel columns [{columns.FirstTap}, {columns.EndTap}), vectors from shift floats into each pixel"));
        w.Open("");
        w.Line(F($"ref float runInput = ref Unsafe.Add(ref inputRow, {((columns.Begin * wd.Stride) - wd.PadBegin + (columns.FirstTap * wd.Dilation)) * channels});"));
        w.Line(F($"ref float runOutput = ref Unsafe.Add(ref outputRow, {columns.Begin * channels});"));
        w.Line("ref float tileInput = ref Unsafe.Add(ref runInput, shift), tileOutput = ref Unsafe.Add(ref runOutput, shift);");
        for (int entry = 0; entry < tiles.Count; entry++)
        {
            var (pixels, repeat) = tiles[entry];
            int whole = entry == tiles.Count - 1 ? repeat - 1 : repeat;
            if (whole > 0)
            {
                w.OpenLoop("tile", 0, whole, used: false);
                WriteVectorTiles(w, plan, path, rows, columns, -1, pixels, tileRows, (0, vectors, lanes), "tileInput", "tileOutput", activation, alpha, packedWeights: "shiftedWeights", packedBias: "shiftedBias");
                w.Line(F($"tileInput = ref Unsafe.Add(ref tileInput, {pixels * wd.Stride * channels});"));
                w.Line(F($"tileOutput = ref Unsafe.Add(ref tileOutput, {pixels * channels});"));
                w.Close();
            }
        }

        int last = tiles[tiles.Count - 1].Pixels;
        w.Line(F($"// the last tile: its last pixel's last vector would reach past the run"));
        if (vectors > 1)
        {
            WriteVectorTiles(w, plan, path, rows, columns, -1, last, tileRows, (0, vectors - 1, lanes), "tileInput", "tileOutput", activation, alpha, packedWeights: "shiftedWeights", packedBias: "shiftedBias");
        }

        if (last > 1)
        {
            WriteVectorTiles(w, plan, path, rows, columns, -1, last - 1, tileRows, (vectors - 1, 1, lanes), "tileInput", "tileOutput", activation, alpha, packedWeights: "shiftedWeights", packedBias: "shiftedBias");
        }

        w.Line("// the run's first 16 channels, before its first shifted vector, and its last 16, after its last: plain vectors");
        WriteVectorTiles(w, plan, plain, rows, columns, -1, 1, tileRows, (0, 1, lanes), "runInput", "runOutput", activation, alpha);
        w.Line(F($"ref float lastInput = ref Unsafe.Add(ref runInput, {(count - 1) * wd.Stride * channels}), lastOutput = ref Unsafe.Add(ref runOutput, {(count - 1) * channels});"));
        WriteVectorTiles(w, plan, plain, rows, columns, -1, 1, tileRows, (vectors - 1, 1, lanes), "lastInput", "lastOutput", activation, alpha);
        w.Close();
    }

    /// <summary>
    /// The one-vector tiles of a tile's channel vectors (all of them, or those the groups left from <paramref name="start"/>):
    /// the full vectors in a loop, then the partial last one. In a wrapping shifted set, the vectors left on the shifted
    /// grid, after the wrapping one (the groups' first, or here first).
    /// </summary>
    private static void WriteSingleVectors(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan? columns, int firstColumn, int pixels, int tileRows, string input, string output, string? start, Activation activation, float alpha)
    {
        bool shifted = Wraps(plan, path);
        int vectors = plan.ConvolutionOutputs / path.Isa.Lanes;
        if (shifted && path.Vectors == 1)
        {
            w.Line("// the pixels' vectors from shift floats in, the wrapping one (their last 16 - shift channels, then their first shift) first");
            w.Line(F($"ref float shiftedInput = ref Unsafe.Add(ref {input}, shift), shiftedOutput = ref Unsafe.Add(ref {output}, shift);"));
            WriteVectorTiles(w, plan, path, rows, columns, firstColumn, pixels, tileRows, (vectors - 1, 1, path.Isa.Lanes), "shiftedInput", output, activation, alpha,
                packedWeights: "shiftedWeights", packedBias: "shiftedBias", wrap: true);
        }

        var shapes = shifted ? [(0, vectors - 1, path.Isa.Lanes)] : Vectors(path);
        foreach (var shape in shapes)
        {
            WriteVectorTiles(w, plan, path, rows, columns, firstColumn, pixels, tileRows, shape, shifted ? "shiftedInput" : input, shifted ? "shiftedOutput" : output, activation, alpha,
                shape.Lanes == path.Isa.Lanes ? start : null, shifted ? "shiftedWeights" : "w", shifted ? "shiftedBias" : "b");
        }
    }

    /// <summary>
    /// The loop over a range of channel vectors (<see cref="OpenVectorLoop"/>) whose body is one tile of
    /// <paramref name="pixels"/> for the vector (<see cref="WriteTile"/>), with the kernel columns of
    /// <paramref name="columns"/> (all of them without). With <paramref name="wrap"/>, the shifted set's wrapping tile:
    /// <paramref name="input"/> at each pixel's first vector from <c>shift</c>, <paramref name="output"/> at the pixel.
    /// </summary>
    private static void WriteVectorTiles(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan? columns, int firstColumn, int pixels, int tileRows,
        (int First, int Count, int Lanes) vectors, string input, string output, Activation activation, float alpha,
        string? start = null, string packedWeights = "w", string packedBias = "b", bool wrap = false)
    {
        OpenVectorLoop(w, plan, path, rows, columns?.FirstTap ?? 0, columns?.EndTap ?? plan.Shape.KernelWidth, vectors, input, output, start, packedWeights, packedBias, atPixel: wrap);
        if (wrap)
        {
            WriteWrapConstants(w);
        }

        WriteTile(w, plan, path, rows, columns, firstColumn, pixels, tileRows, "input", "output", vectors.Lanes, activation, alpha, wrap);
        CloseVectorLoop(w, path);
    }

    /// <summary>
    /// <see cref="PathPlan.StridedVectors"/>: how many vectors on the next tile's vector is. At least 4
    /// (256 bytes, the stores of the tiles before far from its loads), prime to the loops' counts (a pixel's vectors, and
    /// those less one) so the stride visits every vector once.
    /// </summary>
    private static int VectorStride(LayerPlan plan, PathPlan path)
    {
        int vectors = plan.ConvolutionOutputs / path.Isa.Lanes, stride = 4;
        while (Gcd(stride, vectors) != 1 || Gcd(stride, vectors - 1) != 1)
        {
            stride++;
        }

        return stride;
    }

    /// <summary>Floats from one input pixel to the next where the tiles read: the channels, or the staged copy's stride.</summary>
    private static int InputPixel(LayerPlan plan, PathPlan path) => path.StagedPixelFloats > 0 ? path.StagedPixelFloats : plan.Shape.InputChannels;

    /// <summary>Output channels per input channel: 1, or the depth multiplier (2 or 4) whose input vectors repeat lanes.</summary>
    private static int Multiplier(LayerPlan plan) => plan.ConvolutionOutputs / plan.Shape.InputChannels;

    /// <summary>Channels of a group in and out: 1, or 2 or 4 for lane groups (whole groups in each vector).</summary>
    private static int GroupChannels(LayerPlan plan) =>
        plan.InputChannelsPerGroup > 1 && plan.InputChannelsPerGroup == plan.OutputChannelsPerGroup ? plan.InputChannelsPerGroup : 1;

    /// <summary>Weight vectors per channel vector: the window's taps, each once per channel of a lane group.</summary>
    private static int PackedTaps(LayerPlan plan) => plan.Shape.KernelHeight * plan.Shape.KernelWidth * GroupChannels(plan);

    /// <summary>Where output vector <paramref name="vector"/>'s input channels start: the vector's lanes over the multiplier.</summary>
    private static string InputVectorOffset(LayerPlan plan, string vector, int lanes)
    {
        int multiplier = Multiplier(plan), groupChannels = GroupChannels(plan);
        // (Scalar lane groups: an output channel's input starts at its group's first channel.)
        return lanes < groupChannels ? F($"{vector} / {groupChannels} * {groupChannels}")
            : lanes >= multiplier ? F($"{vector} * {lanes / multiplier}") : F($"{vector} / {multiplier}");
    }

    /// <summary>
    /// Opens the loop over a shape of channel vectors within [vectorBegin, vectorEnd) and writes, per vector, its weights
    /// (the taps of the run's kernel rows and of kernel columns [firstColumnTap, endColumnTap), held in registers when the
    /// path does), its bias, and <c>input</c> and <c>output</c> at the vector from the given references.
    /// </summary>
    private static void OpenVectorLoop(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, int firstColumnTap, int endColumnTap, (int First, int Count, int Lanes) vectors, string input, string output, string? start = null, string packedWeights = "w", string packedBias = "b", bool atPixel = false)
    {
        VectorIsa isa = path.Isa;
        int kernelWidth = plan.Shape.KernelWidth, lanes = isa.Lanes;
        if (path.StridedVectors && start is null && vectors.First == 0 && vectors.Count > 1 && vectors.Lanes == lanes)
        {
            // The set runs for whole calls only (every vector), so the stride may wrap around the range. The bounds stay
            // the call's: with constant ones the JIT's code ran the rows 4 times slower (mnv1_dw14 80 against 20 us).
            int stride = VectorStride(plan, path);
            w.Line(F($"// the vectors {stride} apart around the pixel: a tile's loads far from the stores of the tiles before"));
            w.Open(F($"for (nint step = Math.Max(0, vectorBegin); step < Math.Min({vectors.Count}, vectorEnd); step++)"));
            w.Line(F($"nint vector = step * {stride} % {vectors.Count};"));
        }
        else
        {
            start ??= F($"Math.Max({vectors.First}, vectorBegin)");
            w.Open(vectors.Lanes < lanes
                ? F($"for (nint vector = {start}; vector < vectorEnd; vector++)")
                : F($"for (nint vector = {start}; vector < Math.Min({vectors.First + vectors.Count}, vectorEnd); vector++)"));
        }

        w.Line(F($"ref float weights = ref Unsafe.Add(ref {packedWeights}, vector * {PackedTaps(plan) * lanes});"));
        if (path.WeightsInRegisters && rows.EndTap > rows.FirstTap && endColumnTap > firstColumnTap)
        {
            w.Line("// the taps that reach the input, one register each");
            // (Lane groups: a tap's weight for each channel of the group, in the packed order tap x group channels.)
            int groupChannels = GroupChannels(plan);
            for (int ky = rows.FirstTap; ky < rows.EndTap; ky++)
            {
                w.Line($"{isa.Type} " + string.Join(", ", Enumerable.Range((ky * kernelWidth) + firstColumnTap, endColumnTap - firstColumnTap)
                    .SelectMany(tap => Enumerable.Range(tap * groupChannels, groupChannels)).Select(t => F($"k{t} = {isa.Load("weights", Int(t * lanes))}"))) + ";");
            }
        }

        w.Line($"{isa.Type} bias = {isa.Load(packedBias, F($"vector * {lanes}"))};");
        string inputVector = path.StagedPixelFloats > 0 ? "(vector - stagedVector)" : "vector";
        OpenDownRows(w, plan, path);
        string inputOffset = atPixel ? "0" : InputVectorOffset(plan, inputVector, lanes), outputOffset = atPixel ? "0" : F($"vector * {lanes}");
        w.Line(F($"ref float input = ref Unsafe.Add(ref {input}, {Down(plan, path, input: true)}{inputOffset}), output = ref Unsafe.Add(ref {output}, {Down(plan, path, input: false)}{outputOffset});"));
    }

    /// <summary>
    /// With <see cref="WalkDown.EachTile"/>, opens the loop that walks a column tile down the rows and returns the
    /// references to its row; otherwise returns the given ones.
    /// </summary>
    private static (string Input, string Output) OpenTileDown(CodeWriter w, LayerPlan plan, PathPlan path, string input, string output)
    {
        if (path.WalkDown != WalkDown.EachTile)
        {
            return (input, output);
        }

        w.Line("// down the rows, every channel vector of a row before the row below: a row first reads the input row the row above read last");
        w.Open("for (nint down = 0; down < downRows; down++)");
        w.Line(F($"ref float downInput = ref Unsafe.Add(ref {input}, down * {RowStep(plan, path, input: true)});"));
        w.Line(F($"ref float downOutput = ref Unsafe.Add(ref {output}, down * {RowStep(plan, path, input: false)});"));
        return ("downInput", "downOutput");
    }

    /// <summary>Closes what <see cref="OpenTileDown"/> opened.</summary>
    private static void CloseTileDown(CodeWriter w, PathPlan path)
    {
        if (path.WalkDown == WalkDown.EachTile)
        {
            w.Close();
        }
    }

    /// <summary>Closes what <see cref="OpenVectorLoop"/> opened.</summary>
    private static void CloseVectorLoop(CodeWriter w, PathPlan path)
    {
        if (path.WalkDown == WalkDown.EachGroup)
        {
            w.Close();
        }

        w.Close();
    }

    /// <summary>With <see cref="WalkDown.EachGroup"/>, opens the loop that walks a group's (or a vector's) tile down the rows.</summary>
    private static void OpenDownRows(CodeWriter w, LayerPlan plan, PathPlan path)
    {
        if (path.WalkDown == WalkDown.EachGroup)
        {
            w.Line("// down the rows: a row's tile first reads the input row the tile above it read last");
            w.Open("for (nint down = 0; down < downRows; down++)");
        }
    }

    /// <summary>The offset of row <c>down</c> of a walk down the rows, as a term added before a vector's offset ("" without the walk).</summary>
    private static string Down(LayerPlan plan, PathPlan path, bool input) =>
        path.WalkDown != WalkDown.EachGroup ? "" : F($"(down * {RowStep(plan, path, input)}) + ");

    /// <summary>Floats from one output row's input (<paramref name="input"/>) or output to the next row's, walking down.</summary>
    private static int RowStep(LayerPlan plan, PathPlan path, bool input) =>
        input ? plan.Height.Stride * plan.Shape.InputWidth * InputPixel(plan, path) : plan.Width.Output * plan.ConvolutionOutputs;

    /// <summary>The channel vectors: the full ones as one loop, then the partial last one.</summary>
    private static IEnumerable<(int First, int Count, int Lanes)> Vectors(PathPlan path)
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
    /// The columns of one run: border runs are one tile (a pixel or two), the interior run balanced tiles of at most
    /// the path's tile width, so no tile is much smaller than the others.
    /// </summary>
    private static void WriteColumnRun(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan columns, int lanes, Activation activation, float alpha)
    {
        AxisPlan wd = plan.Width;
        int count = columns.End - columns.Begin;
        var tiles = LayerPlanner.BalancedTiles(count, path.Pixels).ToList();
        int channels = plan.ConvolutionOutputs;
        w.Line(F($"// columns {columns.Begin}..{columns.End - 1}: kernel columns [{columns.FirstTap}, {columns.EndTap})"));
        if (tiles.Count == 1 && tiles[0].Tiles == 1)
        {
            WriteTile(w, plan, path, rows, columns, columns.Begin, count, 1, "input", "output", lanes, activation, alpha);
            return;
        }

        // Tiles walk the run with their own references; offsets inside a tile stay constants.
        w.Open("");
        w.Line(F($"ref float tileInput = ref Unsafe.Add(ref input, {((columns.Begin * wd.Stride) - wd.PadBegin + (columns.FirstTap * wd.Dilation)) * InputPixel(plan, path)});"));
        w.Line(F($"ref float tileOutput = ref Unsafe.Add(ref output, {columns.Begin * channels});"));
        foreach (var (pixels, repeat) in tiles)
        {
            w.OpenLoop("tile", 0, repeat, used: false);
            WriteTile(w, plan, path, rows, columns, -1, pixels, 1, "tileInput", "tileOutput", lanes, activation, alpha);
            w.Line(F($"tileInput = ref Unsafe.Add(ref tileInput, {pixels * wd.Stride * InputPixel(plan, path)});"));
            w.Line(F($"tileOutput = ref Unsafe.Add(ref tileOutput, {pixels * channels});"));
            w.Close();
        }

        w.Close();
    }

    /// <summary>
    /// With groups (<see cref="PathPlan.Vectors"/> above 1), the loop over the full channel vectors in groups, each a
    /// <see cref="WriteGroupTile"/>; returns the variable the single-vector loop then starts from (null without groups).
    /// </summary>
    private static string? WriteGroups(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan? columns, int firstColumn, int pixels, string input, string output, Activation activation, float alpha)
    {
        int group = path.Vectors;
        if (group == 1)
        {
            return null;
        }

        w.Line(F($"// groups of {group} channel vectors, then the vectors left one at a time"));
        if (path.ShiftedWindows)
        {
            return WriteShiftedGroups(w, plan, path, rows, columns, firstColumn, pixels, input, output, activation, alpha);
        }

        return WriteGroupLoop(w, plan, path, rows, columns, firstColumn, pixels, "Math.Max(0, vectorBegin)", F($"Math.Min({path.FullBlocks}, vectorEnd)"), "w", input, output, activation, alpha);
    }

    /// <summary>
    /// The loop over groups of full channel vectors from <paramref name="start"/> while a whole group ends by
    /// <paramref name="end"/>: per group its weights (from <paramref name="packedWeights"/>), the references to its
    /// vectors of <paramref name="input"/> and <paramref name="output"/>, and its tile. Returns the variable the vectors
    /// left start from. With <see cref="PathPlan.PairedWalk"/> the walks are methods of their own, chosen per call.
    /// </summary>
    /// <param name="wrapOutput">
    /// Shifted set with a paired walk: the output at the pixels (the wrapping group's rotated stores), and the wrapping
    /// group walks first, in pairs with the middle group; null otherwise (the caller wrote the wrapping group).
    /// </param>
    private static string WriteGroupLoop(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan? columns, int firstColumn, int pixels, string start, string end, string packedWeights, string input, string output, Activation activation, float alpha, string? wrapOutput = null)
    {
        int group = path.Vectors;
        if (!path.PairedWalk)
        {
            w.Line(F($"nint group = {start};"));
            w.Open(F($"for (; group + {group} <= {end}; group += {group})"));
            WriteGroup(w, plan, path, rows, columns, firstColumn, pixels, packedWeights, input, output, activation, alpha, walk: true);
            w.Close();
            return "group";
        }

        int pixelBytes = plan.ConvolutionOutputs * sizeof(float), groupBytes = group * path.Isa.Lanes * sizeof(float);
        string bias = path.ShiftedWindows ? "shiftedBias" : "b", lineOffset = path.RealignedLoads ? ", lineOffset" : "";
        string key = F($"{(columns is null || firstColumn >= 0 ? firstColumn : columns.Begin)}_{pixels}");
        w.Line(F($"nint groupsBegin = {start}, groups = Math.Max(0, {end} - groupsBegin) / {group};"));
        w.Line("// Output near the input modulo 4 KiB: a tile's loads would wait on the stores of the tile above, the same channels");
        w.Line("// (4K aliasing). Then the groups walk down in pairs half the channels apart, each tile followed by its partner's.");
        w.Line(F($"bool paired = StoreAliasing.PairGroups(ref x, ref y, {pixelBytes}, {groupBytes}, (int)((groups + 1) / 2) * {groupBytes});"));
        if (wrapOutput is not null)
        {
            w.Line(F($"// the first group: the wrapping vector, then the first {group - 1} from shift; paired, with the middle group, left without a partner"));
            w.Line(F($"WrapGroup_{key}(ref x, ref shiftedInput, ref shiftedOutput, ref {wrapOutput}, ref shiftedWeights, ref shiftedBias, downRows, shift, paired && (groups & 1) == 1 ? groupsBegin + ((groups / 2) * {group}) : -1);"));
        }

        w.Line(F($"Groups_{key}(ref {input}, ref {output}, ref {packedWeights}, ref {bias}, downRows, groupsBegin, groups, paired, {(wrapOutput is null ? "false" : "(groups & 1) == 1")}{lineOffset});"));
        w.Line(F($"nint groupsEnd = groupsBegin + (groups * {group});"));
        w.Line();

        // Methods of their own: the pairs' loops, written in the row method, cost the one-by-one walk there 2-5 %.
        w.Line("// the groups' walk down the rows, by pairs half the groups apart (each tile followed by its partner's) or one by one");
        w.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
        w.Open(F($"static void Groups_{key}(ref float {input}, ref float {output}, ref float {packedWeights}, ref float {bias}, nint downRows, nint groupsBegin, nint groups, bool paired, bool middleTaken{(path.RealignedLoads ? ", int lineOffset" : "")})"));
        if (path.RealignedLoads)
        {
            w.Line("Vector512<int> realign = Vector512<int>.Indices + Vector512.Create(lineOffset);");
        }

        w.Open("if (paired)");
        w.Line("// an odd count leaves the middle group without a partner: alone, unless the wrapping group took it");
        w.Line("nint half = (groups + 1) / 2, firsts = middleTaken ? groups / 2 : half;");
        w.Open("for (nint first = 0; first < firsts; first++)");
        OpenDownRows(w, plan, path);
        w.Open("for (nint member = first; member < groups; member += half)");
        w.Line(F($"nint group = groupsBegin + (member * {group});"));
        WriteGroup(w, plan, path, rows, columns, firstColumn, pixels, packedWeights, input, output, activation, alpha, walk: false);
        w.Close();
        w.Close();
        w.Close();
        w.Close();
        w.Open("else");
        w.Open(F($"for (nint group = groupsBegin; group < groupsBegin + (groups * {group}); group += {group})"));
        WriteGroup(w, plan, path, rows, columns, firstColumn, pixels, packedWeights, input, output, activation, alpha, walk: true);
        w.Close();
        w.Close();
        w.Close();
        if (wrapOutput is null)
        {
            return "groupsEnd";
        }

        w.Line();
        w.Line("// the wrapping group's walk down the rows, each tile followed, where partner is a group, by that group's");
        w.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
        w.Open(F($"static void WrapGroup_{key}(ref float x, ref float shiftedInput, ref float shiftedOutput, ref float {wrapOutput}, ref float shiftedWeights, ref float shiftedBias, nint downRows, nint shift, nint partner)"));
        WriteWrapConstants(w);
        OpenDownRows(w, plan, path);
        w.Open("");
        WriteWrapGroup(w, plan, path, rows, columns, firstColumn, pixels, wrapOutput, activation, alpha);
        w.Close();
        w.Open("if (partner >= 0)");
        w.Line("nint group = partner;");
        WriteGroup(w, plan, path, rows, columns, firstColumn, pixels, "shiftedWeights", "shiftedInput", "shiftedOutput", activation, alpha, walk: false);
        w.Close();
        w.Close();
        w.Close();
        return "groupsEnd";
    }

    /// <summary>
    /// The body of a group's loop: its weights, the references to its vectors (walking down the rows with
    /// <see cref="WalkDown.EachGroup"/>, unless the walk is paired and already inside the row loop) and its tile.
    /// </summary>
    private static void WriteGroup(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan? columns, int firstColumn, int pixels, string packedWeights, string input, string output, Activation activation, float alpha, bool walk)
    {
        int lanes = path.Isa.Lanes, taps = plan.Shape.KernelHeight * plan.Shape.KernelWidth;
        w.Line(F($"ref float weights = ref Unsafe.Add(ref {packedWeights}, group * {taps * lanes});"));
        string inputVector = path.StagedPixelFloats > 0 ? "(group - stagedVector)" : "group";
        if (walk)
        {
            OpenDownRows(w, plan, path);
        }

        w.Line(F($"ref float input = ref Unsafe.Add(ref {input}, {Down(plan, path, input: true)}{inputVector} * {lanes}), output = ref Unsafe.Add(ref {output}, {Down(plan, path, input: false)}group * {lanes});"));
        if (path.RealignedLoads)
        {
            // Never before the input: the first vector of each pixel is loaded as it is, the lines from the next boundary.
            w.Line(F($"ref float lines = ref Unsafe.Add(ref input, {lanes} - lineOffset); // the line boundary inside each pixel's first vector"));
        }

        WriteGroupTile(w, plan, path, rows, columns, firstColumn, pixels, activation, alpha);
        if (walk && path.WalkDown == WalkDown.EachGroup)
        {
            w.Close();
        }
    }

    /// <summary>
    /// The groups of the shifted set (every channel vector of the call): a pixel's vectors start <c>shift</c> floats in,
    /// on the input's line boundaries. The one left over, the pixel's last <c>16 - shift</c> channels and its first
    /// <c>shift</c>, wraps: it comes first, in the first group, blended from the two aligned vectors that hold it, and
    /// is stored rotated into the pixel's first and last 16 channels, whose other lanes the group's next vector and the
    /// pixel's last vector then overwrite. The other groups and the vectors left run on the shifted grid.
    /// </summary>
    private static string WriteShiftedGroups(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan? columns, int firstColumn, int pixels, string input, string output, Activation activation, float alpha)
    {
        int group = path.Vectors, vectors = plan.ConvolutionOutputs / path.Isa.Lanes;
        w.Line(F($"ref float shiftedInput = ref Unsafe.Add(ref {input}, shift), shiftedOutput = ref Unsafe.Add(ref {output}, shift);"));
        if (path.PairedWalk)
        {
            return WriteGroupLoop(w, plan, path, rows, columns, firstColumn, pixels, Int(group - 1), Int(vectors - 1), "shiftedWeights", "shiftedInput", "shiftedOutput", activation, alpha, wrapOutput: output);
        }

        w.Line(F($"// the first group: the wrapping vector, then the first {group - 1} from shift"));
        w.Open("");
        WriteWrapConstants(w);
        OpenDownRows(w, plan, path);
        WriteWrapGroup(w, plan, path, rows, columns, firstColumn, pixels, output, activation, alpha);
        if (path.WalkDown == WalkDown.EachGroup)
        {
            w.Close();
        }

        w.Close();
        return WriteGroupLoop(w, plan, path, rows, columns, firstColumn, pixels, Int(group - 1), Int(vectors - 1), "shiftedWeights", "shiftedInput", "shiftedOutput", activation, alpha);
    }

    /// <summary>The shifted set's first group at row <c>down</c> of a walk: its references and tile (the wrapping constants in scope).</summary>
    private static void WriteWrapGroup(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan? columns, int firstColumn, int pixels, string output, Activation activation, float alpha)
    {
        w.Line(F($"ref float input = ref Unsafe.Add(ref shiftedInput, {Down(plan, path, input: true)}0), output = ref Unsafe.Add(ref shiftedOutput, {Down(plan, path, input: false)}0);"));
        w.Line(F($"ref float pixelOutput = ref Unsafe.Add(ref {output}, {Down(plan, path, input: false)}0);"));
        WriteGroupTile(w, plan, path, rows, columns, firstColumn, pixels, activation, alpha, wrap: true);
    }

    /// <summary>
    /// A tile of <paramref name="pixels"/> x a group of channel vectors, for strided layers whose neighbouring windows
    /// share a column at most: per kernel row, that row's weights for every vector of the group in registers, then each
    /// input column the tile needs loaded once per vector and multiplied into every pixel whose window covers it. Each
    /// pixel's loads walk the group's channels contiguously, lines the prefetcher fetches together, where one-vector
    /// tiles read 64 bytes from each of many pixels and saved few loads (a column serves two windows at most).
    /// </summary>
    /// <param name="wrap">
    /// Shifted set: vector 0 of the group is the pixel's wrapping vector and the others the first from <c>shift</c>
    /// (<see cref="WriteShiftedGroups"/>); the weights come from <c>shiftedWeights</c>.
    /// </param>
    private static void WriteGroupTile(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan? columns, int firstColumn, int pixels, Activation activation, float alpha, bool wrap = false)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        int group = path.Vectors, lanes = isa.Lanes, taps = s.KernelHeight * s.KernelWidth;
        int channels = plan.ConvolutionOutputs, pixel = InputPixel(plan, path), row = s.InputWidth * pixel;
        var tile = new TileColumns(plan.Width, columns, firstColumn);
        int outputBase = tile.OutputBase(channels);
        SortedDictionary<int, List<(int Pixel, int KernelColumn)>> readers = tile.Readers(pixels);
        int[] kernelColumns = readers.Values.SelectMany(list => list.Select(r => r.KernelColumn)).Distinct().OrderBy(kx => kx).ToArray();
        string Weight(int kx, int j) => F($"k{kx}_{j}");
        // The packed vector of group vector j: the wrapping vector is the shifted set's last, the others one before.
        int vectors = channels / lanes;
        int Packed(int j) => j == 0 ? vectors - 1 : j - 1;
        string Bias(int j) => wrap ? isa.Load("shiftedBias", Int(Packed(j) * lanes))
            : isa.Load(path.ShiftedWindows ? "shiftedBias" : "b", F($"(group + {j}) * {lanes}"));

        w.Open("");
        w.Line($"{isa.Type} " + string.Join(", ", Enumerable.Range(0, group).Select(j => F($"bias{j} = {Bias(j)}"))) + ";");
        w.Line($"{isa.Type} " + string.Join(", ", Enumerable.Range(0, pixels).SelectMany(p => Enumerable.Range(0, group).Select(j => F($"a{p}_{j} = bias{j}")))) + (path.RealignedLoads ? ", v, line0, line1;" : ", v;"));
        if (rows.EndTap > rows.FirstTap && kernelColumns.Length > 0)
        {
            w.Line($"{isa.Type} " + string.Join(", ", kernelColumns.SelectMany(kx => Enumerable.Range(0, group).Select(j => Weight(kx, j)))) + ";");
        }

        for (int ky = rows.FirstTap; ky < rows.EndTap && kernelColumns.Length > 0; ky++)
        {
            w.Line(F($"// kernel row {ky}: its weights, then each input column once per vector"));
            foreach (int kx in kernelColumns)
            {
                w.Line(string.Join(" ", Enumerable.Range(0, group).Select(j => wrap
                    ? F($"{Weight(kx, j)} = {isa.Load("shiftedWeights", Int(((Packed(j) * taps) + (ky * s.KernelWidth) + kx) * lanes))};")
                    : F($"{Weight(kx, j)} = {isa.Load("weights", Int(((j * taps) + (ky * s.KernelWidth) + kx) * lanes))};"))));
            }

            foreach (KeyValuePair<int, List<(int Pixel, int KernelColumn)>> column in readers)
            {
                int columnOffset = ((ky - rows.FirstTap) * plan.Height.Dilation * row) + (column.Key * pixel);
                for (int j = 0; j < group; j++)
                {
                    // Realigned: vector j > 0 takes its lanes from lines j - 1 and j after the first vector's boundary,
                    // held in line0 and line1 by turns (the permute overwrites the earlier line, no longer needed: no copies).
                    // Wrapping: its last 16 - shift channels open the aligned vector 16 - shift floats before the pixel's end,
                    // its first shift close the one 16 floats before its start.
                    string load = wrap ? (j == 0
                            ? WrapLoad(isa, "input", columnOffset, channels, tile.MayBeFirst(column.Key), tile.MayBeLast(column.Key, readers.Keys.Last()), s.InputHeight * row)
                            : F($"v = {isa.Load("input", Int(columnOffset + ((j - 1) * lanes)))};"))
                        : !path.RealignedLoads ? F($"v = {isa.Load("input", Int(columnOffset + (j * lanes)))};")
                        : j == 0 ? F($"v = {isa.Load("input", Int(columnOffset))}; line1 = {isa.Load("lines", Int(columnOffset))};")
                        : F($"line{(j + 1) % 2} = {isa.Load("lines", Int(columnOffset + (j * lanes)))}; v = global::System.Runtime.Intrinsics.X86.Avx512F.PermuteVar16x32x2(line{j % 2}, realign, line{(j + 1) % 2});");
                    w.Line(load + " " + string.Join(" ", column.Value.Select(u => F($"a{u.Pixel}_{j} = {isa.MultiplyAdd("v", Weight(u.KernelColumn, j), F($"a{u.Pixel}_{j}"))};"))));
                }
            }
        }

        string? inline = ActivationWriter.Inline(isa, activation, alpha, "{0}");
        w.Line(inline is null ? "// store" : $"// {activation}, then store");
        for (int p = 0; p < pixels; p++)
        {
            w.Line(string.Join(" ", Enumerable.Range(0, group).Select(j =>
            {
                if (!wrap)
                {
                    return isa.Store(Activated(inline, F($"a{p}_{j}")), "output", Int(outputBase + (p * channels) + (j * lanes)));
                }

                int at = outputBase + (p * channels);
                return j == 0
                    ? WrapStore(isa, "v", Activated(inline, F($"a{p}_0")), "pixelOutput", at, channels)
                    : isa.Store(Activated(inline, F($"a{p}_{j}")), "output", Int(at + ((j - 1) * lanes)));
            })));
        }

        w.Close();
    }

    /// <summary>An accumulator with the inline activation applied (<paramref name="inline"/> null: as it is).</summary>
    private static string Activated(string? inline, string accumulator) =>
        inline is null ? accumulator : string.Format(System.Globalization.CultureInfo.InvariantCulture, inline, accumulator);

    /// <summary>
    /// The input columns of a tile of pixels along a row. With <see cref="FirstColumn"/> of -1 the tile is within one
    /// column run (<see cref="Columns"/>) and columns count from the input under its first pixel's first valid tap;
    /// otherwise each pixel reads the kernel columns of its own run (a tile across a whole row, edges included) and
    /// columns count from the start of the input row.
    /// </summary>
    private readonly record struct TileColumns(AxisPlan Width, TapRunPlan? Columns, int FirstColumn)
    {
        /// <summary>The kernel columns pixel <paramref name="p"/> reads.</summary>
        public TapRunPlan Of(int p) => Columns ?? Width.RunOf(FirstColumn + p);

        /// <summary>Input column (in pixels) of pixel <paramref name="p"/>'s kernel column <paramref name="kx"/>.</summary>
        public int Input(int p, int kx) => FirstColumn < 0
            ? (p * Width.Stride) + ((kx - Columns!.FirstTap) * Width.Dilation)
            : ((FirstColumn + p) * Width.Stride) - Width.PadBegin + (kx * Width.Dilation);

        /// <summary>The tile's first output float relative to the output reference.</summary>
        public int OutputBase(int channels) => FirstColumn < 0 ? 0 : FirstColumn * channels;

        /// <summary>Whether input column <paramref name="column"/> of the tile may be the row's first.</summary>
        public bool MayBeFirst(int column) => column == 0 && (FirstColumn >= 0
            || (Columns!.Begin * Width.Stride) - Width.PadBegin + (Columns.FirstTap * Width.Dilation) == 0);

        /// <summary>
        /// Whether input column <paramref name="column"/> of the tile, whose last is <paramref name="lastColumn"/>, may
        /// be the row's last.
        /// </summary>
        public bool MayBeLast(int column, int lastColumn) => FirstColumn >= 0 ? column == Width.Input - 1
            : column == lastColumn && ((Columns!.End - 1) * Width.Stride) - Width.PadBegin + ((Columns.EndTap - 1) * Width.Dilation) == Width.Input - 1;

        /// <summary>Per input column, in order, the (pixel, kernel column) pairs that read it.</summary>
        public SortedDictionary<int, List<(int Pixel, int KernelColumn)>> Readers(int pixels)
        {
            var readers = new SortedDictionary<int, List<(int Pixel, int KernelColumn)>>();
            for (int p = 0; p < pixels; p++)
            {
                for (int kx = Of(p).FirstTap; kx < Of(p).EndTap; kx++)
                {
                    if (!readers.TryGetValue(Input(p, kx), out List<(int, int)>? list))
                    {
                        readers[Input(p, kx)] = list = [];
                    }

                    list.Add((p, kx));
                }
            }

            return readers;
        }
    }

    /// <summary>
    /// A tile of <paramref name="pixels"/> along the row (on <paramref name="tileRows"/> consecutive output rows) for one
    /// channel vector. Each input row and column the tile needs is loaded once and multiplied into every pixel whose
    /// window covers it. With <paramref name="firstColumn"/> of -1 the references already point at the tile (input at
    /// its first pixel's first valid tap); otherwise they point at the row and the offsets include the column.
    /// </summary>
    /// <param name="wrap">
    /// Shifted set: the pixels' wrapping vector, <c>input</c> at each pixel's first vector from <c>shift</c> and
    /// <c>output</c> at the pixel (see <see cref="WriteShiftedGroups"/>).
    /// </param>
    private static void WriteTile(CodeWriter w, LayerPlan plan, PathPlan path, TapRunPlan rows, TapRunPlan? columns, int firstColumn, int pixels, int tileRows, string input, string output, int lanes, Activation activation, float alpha, bool wrap = false)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        AxisPlan h = plan.Height, wd = plan.Width;
        int channels = plan.ConvolutionOutputs, pixel = InputPixel(plan, path), row = s.InputWidth * pixel, multiplier = Multiplier(plan), groupChannels = GroupChannels(plan);
        bool masked = lanes < isa.Lanes;
        var tile = new TileColumns(wd, columns, firstColumn);
        int outputBase = tile.OutputBase(channels);
        SortedDictionary<int, List<(int Pixel, int KernelColumn)>> readers = tile.Readers(pixels);
        // Accumulator of output row i's pixel p: a0.. along the first row, then the next row's.
        string Accumulator(int i, int p) => F($"a{(i * pixels) + p}");

        w.Open("");
        bool anyTap = rows.EndTap > rows.FirstTap && readers.Count > 0;
        w.Line($"{isa.Type} " + string.Join(", ", Enumerable.Range(0, tileRows * pixels).Select(a => F($"a{a} = bias"))) + (anyTap && !(groupChannels > 1 && isa.IsScalar) ? ", v;" : ";"));
        if (anyTap && groupChannels > 1)
        {
            w.Line($"{isa.Type} " + string.Join(", ", Enumerable.Range(0, groupChannels).Select(j => F($"g{j}"))) + "; // each channel of a group across the group's lanes");
        }

        // A kernel row's weights in registers (tiles of one output row, so one kernel row per input row).
        bool rowWeights = anyTap && path.KernelRowWeightsInRegisters && tileRows == 1;
        if (rowWeights)
        {
            w.Line($"{isa.Type} " + string.Join(", ", readers.Values.SelectMany(r => r).Select(r => r.KernelColumn).Distinct().OrderBy(c => c).Select(RowWeight)) + ";");
        }

        // A tap's weight: its register, the register its kernel row's weights were loaded into, or a load from L1.
        string Weight(int tap) => path.WeightsInRegisters ? F($"k{tap}") : rowWeights ? RowWeight(tap) : isa.Load("weights", Int(tap * isa.Lanes));
        string RowWeight(int tap) => F($"r{tap % s.KernelWidth}");
        // Input rows relative to the tile's first one (its first output row's first valid kernel row), in order.
        var inputRows = new SortedDictionary<int, List<(int OutputRow, int KernelRow)>>();
        for (int i = 0; i < tileRows; i++)
        {
            for (int ky = rows.FirstTap; ky < rows.EndTap; ky++)
            {
                int inputRow = (i * h.Stride) + ((ky - rows.FirstTap) * h.Dilation);
                if (!inputRows.TryGetValue(inputRow, out List<(int, int)>? rowReaders))
                {
                    inputRows[inputRow] = rowReaders = [];
                }

                rowReaders.Add((i, ky));
            }
        }

        foreach (KeyValuePair<int, List<(int OutputRow, int KernelRow)>> inputRow in inputRows)
        {
            // Each column of this input row, read by every (output row, kernel row) pair that lands on it.
            var users = readers.ToDictionary(column => column.Key, column =>
                inputRow.Value.SelectMany(reader => column.Value.Select(r => (Accumulator: Accumulator(reader.OutputRow, r.Pixel), Tap: (reader.KernelRow * s.KernelWidth) + r.KernelColumn))).ToList());
            if (users.Count == 0)
            {
                continue;
            }

            // The taps this row's columns use, loaded into their registers once for all the tile's pixels.
            int[] rowTaps = rowWeights ? users.Values.SelectMany(u => u).Select(u => u.Tap).Distinct().OrderBy(t => t).ToArray() : [];
            w.Line(tileRows == 1 ? F($"// kernel row {inputRow.Value[0].KernelRow}{(rowWeights ? ": its weights, then each input column once" : "")}") : F($"// input row {inputRow.Key}: ") + string.Join(", ", inputRow.Value.Select(r => F($"kernel row {r.KernelRow} of output row {r.OutputRow}"))));
            if (rowWeights)
            {
                w.Line(string.Join(" ", rowTaps.Select(t => F($"{RowWeight(t)} = {isa.Load("weights", Int(t * isa.Lanes))};"))));
            }

            foreach (KeyValuePair<int, List<(string Accumulator, int Tap)>> column in users.OrderBy(column => column.Key))
            {
                int at = (inputRow.Key * row) + (column.Key * pixel);
                string offset = Int(at);
                if (groupChannels > 1)
                {
                    // Lane groups: channel j of each group, broadcast over the group's lanes, times tap weight j.
                    w.Line(isa.IsScalar
                        ? string.Join(" ", Enumerable.Range(0, groupChannels).Select(j => F($"g{j} = {isa.Load(input, Int(at + j))};")))
                        : F($"v = {isa.Load(input, offset)}; ") + string.Join(" ", Enumerable.Range(0, groupChannels).Select(j => F($"g{j} = {isa.BroadcastInGroups("v", j, groupChannels)};"))));
                    w.Line(string.Join(" ", column.Value.SelectMany(u => Enumerable.Range(0, groupChannels).Select(j => F($"{u.Accumulator} = {isa.MultiplyAdd(F($"g{j}"), Weight((u.Tap * groupChannels) + j), u.Accumulator)};")))));
                    continue;
                }

                w.Line(wrap ? WrapLoad(isa, input, at, channels, tile.MayBeFirst(column.Key), tile.MayBeLast(column.Key, readers.Keys.Last()), s.InputHeight * row)
                    : $"v = {(masked ? isa.LoadFirst(input, offset, lanes) : multiplier > 1 ? isa.LoadRepeated(input, offset, multiplier) : isa.Load(input, offset))};");
                w.Line(string.Join(" ", column.Value.Select(u => F($"{u.Accumulator} = {isa.MultiplyAdd("v", Weight(u.Tap), u.Accumulator)};"))));
            }
        }

        string? inline = ActivationWriter.Inline(isa, activation, alpha, "{0}");
        w.Line(inline is null ? "// store" : $"// {activation}, then store");
        for (int i = 0; i < tileRows; i++)
        {
            for (int p = 0; p < pixels; p++)
            {
                string value = Activated(inline, Accumulator(i, p)), offset = Int(outputBase + (i * wd.Output * channels) + (p * channels));
                if (wrap)
                {
                    w.Line(WrapStore(isa, Accumulator(i, p), value, output, outputBase + (i * wd.Output * channels) + (p * channels), channels));
                    continue;
                }

                w.Line(masked ? isa.StoreFirst(value, output, offset, lanes) : isa.Store(value, output, offset));
            }
        }

        w.Close();
    }

    /// <summary>
    /// Flat rows, for fewer channels than a vector (stride 1 along the width): an output row of columns x channels is
    /// one line of vectors, and tap <c>(ky, kx)</c> reads input row <c>ky</c>'s line shifted by
    /// <c>(kx x dilation - padLeft) x channels</c>, against weights expanded along the row (zero where the tap reads the
    /// padding). The vectors whose shifted loads would leave the line are written out, with masked loads.
    /// </summary>
    private static void WriteFlatImage(CodeWriter w, LayerPlan plan, PathPlan path, string prefix, Activation activation, float alpha)
    {
        string suffix = path.Isa.Suffix;
        w.Line();
        w.Line($"/// <summary>Output rows [rowBegin, rowEnd) of one image on the {Name(path.Isa)} path, rows flattened: every lane of every vector used.</summary>");
        w.Open($"private static void {prefix}Image{suffix}(ref float x, ref float y, ref float w, ref float b, int rowBegin, int rowEnd, nint vectorBegin, nint vectorEnd)");
        w.Line("_ = vectorBegin; // a flat row is computed whole");
        w.Line("_ = vectorEnd;");
        w.Line("// Runs of rows that read the same kernel rows");
        for (int r = 0; r < plan.Height.Runs.Count; r++)
        {
            TapRunPlan run = plan.Height.Runs[r];
            w.Line(F($"{prefix}FlatRows{suffix}_{r}(ref x, ref y, ref w, ref b, Math.Max({run.Begin}, rowBegin), Math.Min({run.End}, rowEnd), rowBegin); // kernel rows [{run.FirstTap}, {run.EndTap})"));
        }

        w.Close();
        for (int r = 0; r < plan.Height.Runs.Count; r++)
        {
            w.Line();
            WriteFlatRows(w, plan, path, prefix, r, activation, alpha);
        }
    }

    private static void WriteFlatRows(CodeWriter w, LayerPlan plan, PathPlan path, string prefix, int runIndex, Activation activation, float alpha)
    {
        ShapeModel s = plan.Shape;
        VectorIsa isa = path.Isa;
        AxisPlan h = plan.Height, wd = plan.Width;
        TapRunPlan rows = h.Runs[runIndex];
        int channels = plan.ConvolutionOutputs, lanes = isa.Lanes;
        int inputRow = s.InputWidth * channels, outputRow = wd.Output * channels;
        int vectors = (outputRow + lanes - 1) / lanes, rowPadded = vectors * lanes;
        int Shift(int kx) => ((kx * wd.Dilation) - wd.PadBegin) * channels;
        int minShift = Shift(0), maxShift = Shift(s.KernelWidth - 1);

        // Vectors whose every load stays in the line and whose store is whole run in a loop; the others are written out.
        int loopBegin = Math.Min(vectors, Math.Max(0, (-minShift + lanes - 1) / lanes));
        int loopEnd = Math.Max(loopBegin, Math.Min(outputRow / lanes, ((inputRow - maxShift - lanes) / lanes) + 1));
        if (inputRow - maxShift - lanes < 0)
        {
            loopEnd = loopBegin;
        }

        w.Line(F($"/// <summary>Rows {rows.Begin}..{rows.End - 1} on the {Name(isa)} path, flat: kernel rows [{rows.FirstTap}, {rows.EndTap}) fall inside the input; each row {vectors} vectors.</summary>"));
        w.Line("[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]");
        w.Open($"private static void {prefix}FlatRows{isa.Suffix}_{runIndex}(ref float x, ref float y, ref float w, ref float b, nint firstRow, nint endRow, nint rowBegin)");
        w.Open("for (nint row = firstRow; row < endRow; row++)");
        for (int ky = rows.FirstTap; ky < rows.EndTap; ky++)
        {
            w.Line(F($"ref float input{ky} = ref Unsafe.Add(ref x, ((row * {h.Stride}) - {h.PadBegin} + {ky * h.Dilation}) * {inputRow});"));
        }

        w.Line(F($"ref float output = ref Unsafe.Add(ref y, (row - rowBegin) * {outputRow});"));
        string? inline = ActivationWriter.Inline(isa, activation, alpha, "{0}");

        // One output vector: the bias, then every tap's shifted input line against its expanded weights.
        void Vector(string j, int? constant)
        {
            w.Line($"{isa.Type} a = {isa.Load("b", j)};");
            for (int ky = rows.FirstTap; ky < rows.EndTap; ky++)
            {
                for (int kx = 0; kx < s.KernelWidth; kx++)
                {
                    int shift = Shift(kx), tap = (ky * s.KernelWidth) + kx;
                    string weight = isa.Load("w", F($"{tap * rowPadded} + {j}"));
                    string? value;
                    if (constant is not { } c)
                    {
                        value = isa.Load(F($"input{ky}"), F($"{j} + {shift}"));
                    }
                    else
                    {
                        int start = (c * lanes) + shift;
                        value = start + lanes <= 0 || start >= inputRow ? null // wholly outside the line: the weights are zero there
                            // A row shorter than the lanes after the shift: load only its floats, none past it.
                            : start < 0 && start + lanes > inputRow ? $"global::SpecializedConv.Runtime.VectorTail.LoadShifted{isa.Suffix}(ref input{ky}, {Int(-start)}, {Int(inputRow)})"
                            : start < 0 ? $"global::SpecializedConv.Runtime.VectorTail.LoadShifted{isa.Suffix}(ref input{ky}, {Int(-start)})"
                            : start + lanes > inputRow ? isa.LoadFirst(F($"input{ky}"), Int(start), inputRow - start)
                            : isa.Load(F($"input{ky}"), Int(start));
                    }

                    if (value is not null)
                    {
                        w.Line($"a = {isa.MultiplyAdd(value, weight, "a")};");
                    }
                }
            }

            string result = Activated(inline, "a");
            int storeLanes = constant is { } last && (last + 1) * lanes > outputRow ? outputRow - (last * lanes) : lanes;
            w.Line(storeLanes < lanes ? isa.StoreFirst(result, "output", j, storeLanes) : isa.Store(result, "output", j));
        }

        for (int j = 0; j < loopBegin; j++)
        {
            w.Line(F($"// vector {j}: its taps reach before the row"));
            w.Open("");
            Vector(Int(j * lanes), j);
            w.Close();
        }

        if (loopEnd > loopBegin)
        {
            w.Line(F($"// vectors {loopBegin}..{loopEnd - 1}: every tap inside the row"));
            w.Open(F($"for (nint j = {loopBegin * lanes}; j < {loopEnd * lanes}; j += {lanes})"));
            Vector("j", null);
            w.Close();
        }

        for (int j = loopEnd; j < vectors; j++)
        {
            w.Line(F($"// vector {j}: its taps reach past the row, or its store is partial"));
            w.Open("");
            Vector(Int(j * lanes), j);
            w.Close();
        }

        if (ActivationWriter.NeedsPass(activation))
        {
            w.Line(ActivationWriter.Pass("output", Int(outputRow), activation, alpha));
        }

        w.Close();
        w.Close();
    }
}

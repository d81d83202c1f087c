using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SpecializedConv.Generators.Model;
using SpecializedConv.Geometry;

namespace SpecializedConv.Generators.Planner;

/// <summary>
/// Turns a valid layer into a plan: which kernel, the interior rectangle and the border lines, each SIMD path's
/// register tile sized to its register file, and which loops unroll. A layer the kernels do not handle, or whose
/// unrolled code would pass the size budget, is planned as a delegation to the runtime kernel, with the reason.
/// </summary>
internal static class LayerPlanner
{
    /// <summary>Taps unrolled in full up to this count (7x7); beyond it only a kernel row is unrolled.</summary>
    public const int MaxUnrolledTaps = 64;

    /// <summary>
    /// The L2 share one block of packed weights may take while every tile of the image streams it (half of Zen 4's and
    /// Zen 5's 1 MiB). A block over it is cut into chunks of input channels, each run over the whole image.
    /// </summary>
    public const int L2BlockBytes = 512 * 1024;

    /// <summary>Depthwise output floats of one separable band: 64 KiB, which stays in L2 for the pointwise step.</summary>
    public const int BandFloats = 16 * 1024;

    public static LayerPlan Plan(LayerModel model)
    {
        LayerPlan geometry = Geometry(model, "");
        ShapeModel shape = model.Shape!;
        AxisPlan height = geometry.Height, width = geometry.Width;
        int groups = geometry.Groups, inputPerGroup = geometry.InputChannelsPerGroup, outputPerGroup = geometry.OutputChannelsPerGroup;
        int outputs = geometry.ConvolutionOutputs;
        PlanKind kind = ChooseKind(model.Kind, shape, height, width, groups, inputPerGroup, outputPerGroup);
        int taps = shape.KernelHeight * shape.KernelWidth;
        int windowIl = VectorIsa.All.Max(isa => TileIl(MatrixTile(isa, outputPerGroup, Math.Max(1, width.InteriorCount)), taps));
        int rowIl = VectorIsa.All.Max(isa => TileIl(MatrixTile(isa, outputPerGroup, Math.Max(1, width.InteriorCount)), shape.KernelWidth));
        bool unrollTaps = taps <= MaxUnrolledTaps && windowIl <= MaxMethodIl;
        if (kind is PlanKind.Direct or PlanKind.Pointwise && !unrollTaps && rowIl > MaxMethodIl)
        {
            kind = PlanKind.Delegate;
        }

        EquatableArray<BorderLine> border = BorderLines(height, width).ToEquatableArray();

        // A padded image narrow enough for a row's tiles to fit one method runs in whole rows: its edge pixels then go
        // through the same unrolled tiles as the interior instead of the border routine's loops. On 7x7 images, where
        // half the pixels are edges, this is the difference between 86 and 95 % of peak on the work actually done.
        bool wholeRows = kind == PlanKind.Direct && unrollTaps && border.Count > 0
            && VectorIsa.All.All(isa => WholeRowIl(WholeRowTile(isa, outputPerGroup, width.Output), taps, width.Output) <= MaxMethodIl);

        var paths = new List<PathPlan>();
        var pointwisePaths = new List<PathPlan>();
        foreach (VectorIsa isa in VectorIsa.All)
        {
            switch (kind)
            {
                case PlanKind.Depthwise:
                    paths.Add(DepthwiseTile(isa, outputs, shape, width, groupChannels: LaneGroups(groups, inputPerGroup, outputPerGroup) ? inputPerGroup : 1));
                    break;
                case PlanKind.Separable:
                    paths.Add(DepthwiseTile(isa, outputs, shape, width, intoBand: true));
                    pointwisePaths.Add(MatrixTile(isa, shape.OutputChannels, int.MaxValue, pointwise: true));
                    break;
                default:
                    PathPlan tile = wholeRows ? WholeRowTile(isa, outputPerGroup, width.Output)
                        : kind == PlanKind.Pointwise ? MatrixTile(isa, outputPerGroup, int.MaxValue, pointwise: true)
                        : MatrixTile(isa, outputPerGroup, Math.Max(1, width.InteriorCount));
                    paths.Add(kind == PlanKind.Direct && unrollTaps ? tile with { ChannelChunk = ChannelChunk(tile, taps, inputPerGroup) } : tile);
                    break;
            }
        }

        int bandRows = Math.Max(1, Math.Min(BandFloats / Math.Max(1, width.Output * outputs), height.Output));
        LayerPlan plan = geometry with
        {
            ImageBandRows = kind == PlanKind.Direct ? ImageBands(shape, height, width, inputPerGroup, outputs) : 0,
            Kind = kind,
            DelegateReason = null,
            Border = wholeRows ? EquatableArray<BorderLine>.Empty : border,
            WholeRows = wholeRows,
            UnrollTaps = unrollTaps,
            Paths = paths.ToEquatableArray(),
            PointwisePaths = pointwisePaths.ToEquatableArray(),
            BandRows = bandRows,
        };

        return kind == PlanKind.Delegate ? Delegate(plan, DelegateReason(model.Kind, shape, rowIl)) : plan;
    }

    /// <summary>
    /// The geometry alone (sizes, pads, runs, FLOPs), planned as a delegation to the runtime kernel with
    /// <paramref name="reason"/>: what the contract needs, and all a failed generation can still rely on.
    /// </summary>
    public static LayerPlan Geometry(LayerModel model, string reason)
    {
        ShapeModel shape = model.Shape!;
        ConvShape conv = shape.ToConvShape(model.Kind);
        AxisPlan height = Axis(conv.Height), width = Axis(conv.Width);
        int groups = conv.Groups;
        long flops = ConvGeometry.Flops(conv, conv.OutputChannels, groups);
        if (model.Kind == LayerKind.SeparableConv2D)
        {
            flops += 2L * height.Output * width.Output * conv.OutputChannels * shape.OutputChannels;
        }

        return new LayerPlan(model, PlanKind.Delegate, reason, height, width, groups, conv.InputChannels / groups, conv.OutputChannels / groups,
            EquatableArray<BorderLine>.Empty, false, EquatableArray<PathPlan>.Empty, EquatableArray<PathPlan>.Empty, 1, flops, EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>The plan of a layer that delegates to the runtime kernel, with an informational diagnostic.</summary>
    public static LayerPlan Delegate(LayerPlan plan, string reason) => plan with
    {
        Kind = PlanKind.Delegate,
        DelegateReason = reason,
        Diagnostics = new[] { DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.RuntimeFallback, plan.Layer.Location, plan.Layer.Type.Name, reason) }.ToEquatableArray(),
    };

    /// <summary>Whether groups of 2 or 4 input and output channels fill every path's vectors with whole groups.</summary>
    private static bool LaneGroups(int groups, int inputPerGroup, int outputPerGroup) =>
        groups > 1 && inputPerGroup == outputPerGroup && inputPerGroup is 2 or 4 && FullVectors(groups * inputPerGroup);

    /// <summary>
    /// Whether <paramref name="channels"/> fill whole vectors on every path (a multiple of Vector512's lanes): where a
    /// vector's lanes read other input channels than their own, no path takes a partial vector.
    /// </summary>
    private static bool FullVectors(int channels) => channels % VectorIsa.V512.Lanes == 0;

    private static PlanKind ChooseKind(LayerKind declared, ShapeModel shape, AxisPlan height, AxisPlan width, int groups, int inputPerGroup, int outputPerGroup)
    {
        bool unpadded = height.PadBegin + height.PadEnd + width.PadBegin + width.PadEnd == 0;
        // A depth multiplier of 2 or 4 runs as a depthwise layer over the groups x multiplier output channels, each input
        // vector spread over the lanes (VectorIsa.LoadRepeated), where every path's vectors are full: the direct kernel per
        // group fills 2 or 4 lanes of each vector (28x28x32 x2: 45 -> 4.7 us on Vector512, 44 -> 9.3 on Vector256).
        bool depthwise = inputPerGroup == 1 && groups > 1
            && (outputPerGroup == 1 || (outputPerGroup is 2 or 4 && FullVectors(groups * outputPerGroup)));
        // Groups of 2 or 4 channels in and out run as a depthwise layer too, a vector holding whole groups: each input
        // channel of a group broadcast across its group's lanes (VectorIsa.BroadcastInGroups) feeds one FMA per output
        // lane. The direct kernel per group fills 2 or 4 lanes of each vector.
        depthwise |= LaneGroups(groups, inputPerGroup, outputPerGroup);
        switch (declared)
        {
            case LayerKind.SeparableConv2D:
                // Its depthwise step takes the multipliers the depthwise kernel takes (1, or 2 and 4 over full vectors).
                return depthwise ? PlanKind.Separable : PlanKind.Delegate;
            case LayerKind.DepthwiseConv2D when depthwise:
                return PlanKind.Depthwise;
            case LayerKind.Conv2D when depthwise:
                return PlanKind.Depthwise;
            case LayerKind.Conv2D when shape.KernelHeight == 1 && shape.KernelWidth == 1 && shape.StrideHeight == 1 && shape.StrideWidth == 1 && unpadded && groups == 1:
                return PlanKind.Pointwise;
            default:
                // Grouped convolutions and depthwise ones with other multipliers run the direct kernel per group.
                return PlanKind.Direct;
        }
    }

    private static string DelegateReason(LayerKind declared, ShapeModel shape, int rowIl) => declared == LayerKind.SeparableConv2D
        ? string.Format(CultureInfo.InvariantCulture, "the fused separable kernel handles depth multipliers 1, 2 and 4 (2 and 4 where channels x multiplier is a multiple of 16), not {0} on {1} channels; declare the depthwise and pointwise steps as two layers to specialize both", shape.DepthMultiplier, shape.InputChannels)
        : string.Format(CultureInfo.InvariantCulture, "one kernel row of {0} taps unrolled in a register tile would take about {1} bytes of IL, over the code-size budget of {2} per kernel method (past it the JIT stops optimizing)", shape.KernelWidth, rowIl, MaxMethodIl);

    /// <summary>
    /// The IL one kernel method may hold. The JIT compiles a larger method without optimization (beyond about 60 KB of
    /// IL or 8000 references to locals): a budget well under that keeps every kernel optimized.
    /// </summary>
    public const int MaxMethodIl = 24_000;

    /// <summary>The IL beyond which the JIT compiles a method without optimization (its MinOpts threshold, 60 000 bytes).</summary>
    private const int JitOptimizedIl = 60_000;

    /// <summary>
    /// Estimated IL bytes of a depthwise row method: per column run its tiles (two sizes in the interior, a pixel or two
    /// at the borders), each loading its input columns per kernel row and doing every FMA; twice with a partial vector.
    /// </summary>
    public static int DepthwiseRowsIl(int pixels, ShapeModel shape, AxisPlan width, bool tail, int group = 1, int tileRows = 1, bool realigned = false)
    {
        int total = 0;
        foreach (TapRunPlan run in width.Runs)
        {
            int tilePixels = Math.Min(pixels, run.End - run.Begin);
            int tiles = run.Begin == width.InteriorBegin && run.End == width.InteriorEnd ? 2 : 1;
            total += tiles * (DepthwiseTileIl(tilePixels, shape, width) + DepthwiseGroupTileIl(tilePixels, shape, width, group, realigned));
        }

        return RowLoops(tileRows) * (tail ? 2 * total : total);
    }

    /// <summary>Estimated IL bytes of a depthwise row in tiles across its whole width, each after its vector's weight loads.</summary>
    public static int DepthwiseWholeRowIl(int pixels, ShapeModel shape, AxisPlan width, bool tail, int group = 1, int tileRows = 1, bool realigned = false)
    {
        int total = BalancedTiles(width.Output, pixels).Sum(part => part.Tiles *
            (DepthwiseTileIl(part.Pixels, shape, width) + (shape.KernelHeight * shape.KernelWidth * 12) + DepthwiseGroupTileIl(part.Pixels, shape, width, group, realigned)));
        return RowLoops(tileRows) * (tail ? 2 * total : total);
    }

    /// <summary>The row code written per method, in one-row tiles' worth: one loop, or a loop of multi-row tiles and one of single rows.</summary>
    private static int RowLoops(int tileRows) => tileRows == 1 ? 1 : 1 + tileRows;

    /// <summary>
    /// A depthwise group tile (none for groups of 1): per tap and vector a weight load, then per pixel an input load and
    /// an FMA; realigned, per input column and vector a second load and a permute.
    /// </summary>
    private static int DepthwiseGroupTileIl(int pixels, ShapeModel shape, AxisPlan width, int group, bool realigned) =>
        group == 1 ? 0 : (shape.KernelHeight * shape.KernelWidth * group * (12 + (pixels * 24)))
            + (realigned ? shape.KernelHeight * TileInputColumns(pixels, shape, width) * group * 24 : 0);

    /// <summary>A depthwise tile: per kernel row, each input column loaded once, then every pixel's FMAs.</summary>
    private static int DepthwiseTileIl(int pixels, ShapeModel shape, AxisPlan width) =>
        shape.KernelHeight * ((TileInputColumns(pixels, shape, width) * 14) + (pixels * shape.KernelWidth * 12));

    /// <summary>The input columns the windows of <paramref name="pixels"/> neighbouring outputs along a row read.</summary>
    private static int TileInputColumns(int pixels, ShapeModel shape, AxisPlan width) =>
        ((pixels - 1) * width.Stride) + ((shape.KernelWidth - 1) * width.Dilation) + 1;

    /// <summary>Estimated IL bytes of a matrix tile that unrolls <paramref name="taps"/> taps: per tap the weight loads, then per pixel a broadcast and its FMAs.</summary>
    public static int TileIl(PathPlan tile, int taps) => taps * ((tile.Vectors * 12) + (tile.Pixels * (16 + (tile.Vectors * 10))));

    /// <summary>Estimated IL bytes of one output row in whole-row tiles: every tile of the row, each unrolling the window.</summary>
    public static int WholeRowIl(PathPlan tile, int taps, int columns) =>
        BalancedTiles(columns, tile.Pixels).Sum(part => part.Tiles * TileIl(tile with { Pixels = part.Pixels }, taps));

    /// <summary>Output rows per band of a direct image that runs in bands (see <see cref="LayerPlan.ImageBandRows"/>).</summary>
    public const int ImageBandHeight = 6;

    /// <summary>
    /// The rows per band a direct image runs in, or 0 for each part over the whole image. A direct image is one pass per
    /// interior part, output block and border line. Where the output is larger than L2 keeps, each pass finds the lines
    /// the passes before wrote gone, and off a cache line two blocks share every line of a pixel: MobileNet's stem (1.6
    /// MB out, two blocks of 16 channels) read and wrote each output line from L3 twice. In bands, every pass of a band
    /// runs before the next band, its output lines and input rows still in L1; each band reads all the weights again,
    /// so only where they fit L1. Bands of 6 rows keep the border routine's tiles down a column whole (bands of 1 row cut
    /// them to one pixel). Zen 5, A/B in one process, MobileNet's stem: 118-130 -> 108-120 us with the output off a line
    /// (the same at 2 to 8 rows a band), 0-3 % slower on one; unet_c128_32 and ResNet's 7x7 stem (37 KB of weights,
    /// compute-bound) within 1 % either way.
    /// </summary>
    private static int ImageBands(ShapeModel shape, AxisPlan height, AxisPlan width, int inputPerGroup, int outputs)
    {
        long outputBytes = (long)height.Output * width.Output * outputs * sizeof(float);
        long weightBytes = (long)shape.KernelHeight * shape.KernelWidth * inputPerGroup * outputs * sizeof(float);
        return outputBytes > L2BlockBytes && weightBytes <= L1PassBytes && height.Output > ImageBandHeight ? ImageBandHeight : 0;
    }

    /// <summary>
    /// Input channels per chunk so that a block's weights for one chunk fit <see cref="L2BlockBytes"/>: the chunks are
    /// as equal as possible, and a block that fits is one chunk.
    /// </summary>
    private static int ChannelChunk(PathPlan tile, int taps, int inputChannels)
    {
        long bytesPerChannel = (long)taps * tile.BlockChannels * sizeof(float);
        int chunks = (int)Math.Max(1, ((bytesPerChannel * inputChannels) + L2BlockBytes - 1) / L2BlockBytes);
        return chunks == 1 ? inputChannels : (inputChannels + chunks - 1) / chunks;
    }

    /// <summary>
    /// Cuts <paramref name="count"/> pixels into as few tiles of at most <paramref name="max"/> as possible, of two sizes
    /// one apart: 111 pixels in tiles of 13 are 3 of 13 and 6 of 12, not 8 of 13 and a half-empty 7.
    /// </summary>
    public static IEnumerable<(int Pixels, int Tiles)> BalancedTiles(int count, int max)
    {
        int tiles = (count + max - 1) / max;
        int small = count / tiles, large = small + 1, largeTiles = count % tiles;
        if (largeTiles > 0)
        {
            yield return (large, largeTiles);
        }

        if (tiles - largeTiles > 0)
        {
            yield return (small, tiles - largeTiles);
        }
    }

    /// <summary>The register tile of a matrix-like kernel (direct, pointwise): as many pixels as the accumulators left after the weight vectors and a broadcast.</summary>
    private static PathPlan MatrixTile(VectorIsa isa, int outputChannels, int interiorWidth, int maxVectors = 0, bool pointwise = false)
    {
        int lanes = isa.Lanes;
        // Direct kernels of 16 or 32 output channels on Vector512: one vector a tile, so that each broadcast input feeds a
        // single FMA and the JIT folds it in as an embedded broadcast (one instruction where a shared broadcast costs
        // two); 16 pixels, the most that leave the accumulators unspilled. MobileNet's stem 100 -> 90 us, unet_c128_32 84
        // -> 98 % of peak. Not with a partial vector (24 channels: a second pass over the image costs more than it
        // saves), nor for 1x1 layers, whose second pass re-streams every input (a 28x28x192 -> 32 projection: 37 -> 40 us).
        bool oneVector = !pointwise && isa.Registers >= 32 && (outputChannels == lanes || outputChannels == 2 * lanes);
        // Unless the caller sets the width: as few blocks as the widest tile allows, as even as they can be. 144
        // channels (9 vectors) go in 3 blocks of 3 rather than 4 + 4 + 1, whose last block broadcasts each input once
        // per FMA (a 56x56 24 -> 144 projection: 95.5 -> 89 us).
        int totalVectors = (outputChannels + lanes - 1) / lanes;
        int vectors = maxVectors > 0 ? Math.Min(maxVectors, totalVectors) : EvenShare(totalVectors, oneVector ? 1 : isa.Registers >= 32 ? 4 : 2);

        int pixels = Math.Max(1, Math.Min(Math.Min(oneVector && vectors == 1 ? 16 : 14, (isa.Registers - vectors - 2) / vectors), interiorWidth));
        int block = vectors * lanes;
        return new PathPlan(isa, pixels, vectors, block, outputChannels / block, outputChannels % block, Math.Min(pixels, 6), WeightsInRegisters: false);
    }

    /// <summary>
    /// The tile of a whole-row plan: as few tiles per row as the registers allow, then as many vectors as fit. Every
    /// tile of a row streams the block's weights for every tap and channel, from L2 on the layers that have narrow
    /// images (deep ones), so the weight traffic per row is the number of tiles; fewer vectors only add broadcasts, which
    /// read L1. ResNet-18 conv5 (7 columns) gets one tile of 7 pixels x 3 vectors rather than two of 4 and 3 x 4 vectors.
    /// </summary>
    private static PathPlan WholeRowTile(VectorIsa isa, int outputChannels, int columns)
    {
        PathPlan best = MatrixTile(isa, outputChannels, columns);
        int TilesPerRow(PathPlan tile) => (columns + tile.Pixels - 1) / tile.Pixels;
        for (int vectors = best.Vectors - 1; vectors >= 3; vectors--)
        {
            PathPlan narrower = MatrixTile(isa, outputChannels, columns, vectors);
            if (TilesPerRow(narrower) < TilesPerRow(best))
            {
                best = narrower;
            }
        }

        return best;
    }

    /// <summary>
    /// The size of each share when <paramref name="count"/> items are cut into as few shares of at most
    /// <paramref name="widest"/> as possible, as even as they can be: 9 by 4 gives shares of 3 (3 + 3 + 3, not 4 + 4 + 1).
    /// </summary>
    private static int EvenShare(int count, int widest)
    {
        int shares = (count + widest - 1) / widest;
        return shares == 0 ? 0 : (count + shares - 1) / shares;
    }

    /// <summary>How many times a plain depthwise row method's IL its shifted set's takes, at most (see <see cref="PathPlan.Shifted"/>).</summary>
    private const int ShiftedIlFactor = 3;

    /// <summary>The depthwise pixel size (channels x 4 bytes) from which tiles run channels inner: four cache lines.</summary>
    public const int ChannelInnerPixelBytes = 256;

    /// <summary>
    /// The share of L1 a depthwise pass's input rows may take: half of Zen 5's 48 KiB (three quarters of Zen 4's 32), the
    /// rest left to the outputs and weights. Measured on mnv1_dw56: 2 vectors a pass 78 us, 4 vectors 93 us.
    /// </summary>
    public const int L1PassBytes = 24 * 1024;

    /// <summary>The most a depthwise pass's staged copy may take (the whole input at the staged stride): half of Zen 4's L2.</summary>
    public const int MaxStagedBytes = 512 * 1024;

    /// <summary>
    /// The depthwise tile: one channel vector of several pixels, the kernel's weights held in registers when they fit,
    /// and as many channel vectors per pass as keep the kernel's input rows in L1.
    /// </summary>
    /// <param name="onLine">
    /// Plan for an input that starts on a 64-byte line only (see <see cref="PathPlan.OnLine"/>): groups read in place,
    /// neither staged nor realigned.
    /// </param>
    /// <param name="intoBand">
    /// A separable layer's depthwise step, writing a pooled band: no <see cref="PathPlan.JustPast"/> set, which runs by
    /// where the output lies and which the warm-up could not compile against a band it does not place.
    /// </param>
    private static PathPlan DepthwiseTile(VectorIsa isa, int channels, ShapeModel shape, AxisPlan width, bool onLine = false, bool intoBand = false, int groupChannels = 1)
    {
        // Lane groups (groupChannels 2 or 4) take groupChannels weights a tap, and their tiles up to 3 x groupChannels
        // times the IL of a plain tile (per tap and pixel groupChannels FMAs, each reading its weight; per input column
        // the shuffles): a row method estimated past the JIT's threshold would run unoptimized (28x28x128 in groups of 4
        // at stride 2: 300 -> 609 us with the plain estimate).
        int taps = shape.KernelHeight * shape.KernelWidth * groupChannels, laneGroupIl = groupChannels > 1 ? 3 * groupChannels : 1;
        bool inRegisters = taps + 6 <= isa.Registers;
        // Too many taps for 16 registers (5x5, 7x7 on the Vector256, Vector128 and scalar paths): one kernel row's weights
        // at a time, loaded as the tile reaches the row, leave the pixels the rest but the input vector's register and a
        // spare, where every FMA read its weight from L1 (a 5x5 tile of 8 pixels: 60 loads per 40 FMAs a kernel row, 17
        // so). Zen 5, A/B in one process, Vector256 / Vector128: 28x28x240 5x5 -10 to -13 % / -14 %, 56x56x96 7x7 -8 %
        // / -14 %, 56x56x96 7x7 stride 2 -9 to -12 % / -16 %, the other 5x5 and 7x7 layers -2 to -11 %. Not on
        // Vector512, whose 7x7 tiles (32 registers: 5x5 fits whole) fold each weight into its FMA at two 512-bit loads
        // a cycle: -5 to +6 % there, from one run to the next.
        bool rowWeights = !inRegisters && isa.Registers < 32 && shape.KernelWidth + 4 <= isa.Registers && groupChannels == 1;
        int pixels = inRegisters ? Math.Min(16, isa.Registers - taps - 2)
            : rowWeights ? Math.Min(12, isa.Registers - shape.KernelWidth - 2)
            : Math.Min(12, isa.Registers - 3);
        bool tail = channels % isa.Lanes != 0;
        // The most pixels, up to the given count, whose row method stays under the JIT's size rule.
        int Fit(int count, int groupVectors, int rowsPerTile, bool realigned = false)
        {
            while (count > 1 && DepthwiseRowsIl(count, shape, width, tail, groupVectors, rowsPerTile, realigned) * laneGroupIl > MaxMethodIl)
            {
                count--;
            }

            return count;
        }

        pixels = Fit(pixels, 1, 1);

        int vectors = (channels + isa.Lanes - 1) / isa.Lanes;
        // At least two vectors a pass: a pixel's share is then 128 bytes or more, the pair of lines the L2 prefetcher
        // fetches together; one vector of 64 bytes would leave every other fetched line unused.
        long rowBytes = (long)shape.KernelHeight * shape.InputWidth * isa.Lanes * sizeof(float);
        int perPass = (int)Math.Max(Math.Min(2, vectors), Math.Min(vectors, L1PassBytes / rowBytes));
        // Rows so wide that two vectors' already overflow the budget: passes would not keep them in L1, only stream the
        // input from L3 once per pass (112x112x64: 2 passes 126-140 us, 1 pass 114-117).
        if (2 * rowBytes > L1PassBytes)
        {
            perPass = vectors;
        }

        // Many channels: a pixel's channels span several lines, and one vector per pixel at that stride falls in few L1
        // sets (128 channels: 8 of 64). Tiles then run every vector of a pass before the next tile, loads walking each
        // pixel's channels contiguously; tiles of 8 pixels measured best (mnv1_dw56 74 -> 56 us; 16 pixels 58, 4 pixels 59).
        // Passes sized to L1 still pay on small images (14x14x512 21 -> 18 us, 14x14x384 13 -> 7 us, 7x7x960 7.8 ->
        // 4.7 us) but not where a pass is two vectors of a pixel whose stride is a multiple of 512 bytes: those crowd a
        // quarter of the L1 sets, and 56x56x128 ran 66 us in passes, 55 us without (measured; 56x56x144 gains from them).
        // Where the row's tiles fit one method they span the whole row, edges included: on 7x7x960 3 tiles a row
        // become 1 (11.7 -> 7.9 us), each reloading its vector's weights less often.
        // So do rows too wide for passes at stride 1 (112x112x32): one vector at a time, a tile's loads straddle two
        // lines whenever the caller's array is not 64-byte aligned (7 times in 8 for a float[]), so every vector's walk
        // down the rows touches all of their lines and they no longer fit L1. Channels inner, each line is used whole by
        // one tile. 112x112x32, aligned / not: 44 / 73-77 us -> 36-39 us; x48 60 / 115 -> 55 / 61; 5x5 88 / 134 -> 100
        // / 101. Strided, and with passes (56x56x48: 11 / 16 us either way), one vector at a time stays ahead.
        bool channelInner = channels * sizeof(float) >= ChannelInnerPixelBytes
            || (!isa.IsScalar && vectors >= 2 && 2 * rowBytes > L1PassBytes && shape.StrideWidth == 1);
        // Strided, neighbouring windows sharing a column at most: tiles of a few pixels x a group of channel vectors (4
        // on 32 registers, 2 on 16), a kernel row's weights in registers at a time, every channel vector of the image in
        // one pass and read in place. One-vector tiles saved few loads there and read 64 bytes from each of many pixels;
        // groups read 256 contiguous bytes of each. 28x28x512 stride 2: 47.6 -> 30 us (oneDNN 32.6), 14x14x512 stride
        // 2: 10 -> 5.2 us (oneDNN 5.5), 56x56x144 stride 2: 31 -> 28 us; in passes, or staged, groups gained little. A
        // 5x5 window at stride 2 shares 3 columns: one-vector tiles reuse them (EfficientNet's 52 us became 91 in groups).
        int group = 1;
        bool realigned = false;
        int sharedColumns = ((shape.KernelWidth - 1) * shape.DilationWidth) + 1 - shape.StrideWidth;
        // A depth multiplier (VectorIsa.LoadRepeated) and lane groups (VectorIsa.BroadcastInGroups) feed a vector's lanes
        // from other input channels than its own: one-vector tiles only, read in place.
        bool lanesRemapped = channels != shape.InputChannels || groupChannels > 1;
        // (The on-line plan takes groups at stride 1 too: see OnLine below.)
        if (channelInner && !isa.IsScalar && !lanesRemapped && ((sharedColumns <= 1 && shape.StrideWidth >= 2) || onLine))
        {
            // Groups as even as the widest allows: 6 vectors in 2 groups of 3, not a group of 4 and 2 single vectors.
            int size = EvenShare(channels / isa.Lanes, isa.Registers >= 32 ? 4 : 2);
            int groupPixels = Math.Min(6, (isa.Registers - 1 - (size * shape.KernelWidth)) / size);
            if (size >= 2 && groupPixels >= 1)
            {
                group = size;
                // Pixels of 1 KiB and more, on whole lines: on an input off a line boundary (a float[] is 8-byte aligned)
                // every load of a group straddles two lines and the tiles are load-bound. A second set of row methods loads
                // whole lines and shifts the lanes into place (one permute of two lines a vector), chosen per call. Zen 4,
                // float[] input, plain / realigned (us): 14x14x1024 s2 31-32 / 22-23, 14x14x512 s2 9.5 / 8.2, 28x28x512 s2
                // 42-45 / 38, 14x14x576 s2 9.5 / 8.9, 28x28x256 s2 18 / 17; smaller pixels gained nothing or lost (56x56x128
                // s2 35-37 / 36, 112x112x96 s2 107 / 108), and aligned inputs run the plain set (14x14x512 s2 6.4 / 7.5).
                // Since the shifted plan (below) takes inputs an even number of floats off a line, this set serves odd ones.
                realigned = !onLine && isa.Lanes == 16 && channels % isa.Lanes == 0 && channels * sizeof(float) >= 1024;
                pixels = Fit(groupPixels, group, 1, realigned);
                perPass = vectors;
            }
        }

        // Pixels a multiple of 2 KiB apart (512 channels and more): one vector of every pixel maps to one or two L1 sets,
        // so no pass is small enough to keep its rows in L1, and a user array that is not 64-byte aligned makes every
        // load straddle two lines. Each pass's channels are copied first to an aligned area whose pixels are an odd
        // number of lines apart (consecutive pixels in different sets). Measured: 14x14x1024 79-111 -> 34 us (oneDNN 48),
        // 14x14x512 16-19 -> 14 us, 14x14x512 stride 2 13 -> 10 us. At 1 KiB (256 channels) the copy costs what the
        // conflicts did (28x28x256: 32-35 us either way), and a prototype lost there (21 -> 25 us).
        int staged = 0;
        if (channelInner && !isa.IsScalar && !lanesRemapped && channels * sizeof(float) % 2048 == 0 && group == 1)
        {
            int lines = (((Math.Min(perPass, vectors) * isa.Lanes * sizeof(float)) + 63) / 64) | 1;
            if ((long)shape.InputHeight * shape.InputWidth * lines * 64 <= MaxStagedBytes)
            {
                staged = lines * 64 / sizeof(float);
            }
        }

        // Two output rows a tile, stride 1 down the image: of the four input rows they read, two are shared, and each is
        // loaded once for both; the rows then come from L2 twice, not three times (the rows of a 56-wide image at 128
        // channels overflow L1). Prototype of 56x56x128's interior: 1 row x 9 pixels 52.9 us, 2 x 6 42.3, 3 x 6 40.8.
        // Not where the two rows' loads and stores would crowd an L1 set: pixels 1 KiB apart or more put a vector of
        // every pixel in a few sets, and a 2 x 5 tile's 28 input and 10 output lines evict each other (on Zen 4,
        // 1 row a tile / 2 rows: 28x28x256 56 / 61 us, 56x56x256 246 / 275, 14x14x1024 staged 52 / 71, 10x10x2048 52 /
        // 75; where the lines spread, 2 rows gain: 56x56x128 80 / 90, 112x112x64 152 / 177, 112x112x32 67 / 77).
        int tileRows = 1;
        if (channelInner && group == 1 && inRegisters && isa.Registers >= 32 && shape.StrideHeight == 1 && shape.DilationHeight == 1
            && shape.KernelHeight > 1 && (isa.Registers - taps - 2) / 2 >= 4)
        {
            int twoRowPixels = Fit(Math.Min(pixels, 6), group, 2);
            if (DepthwiseTileLinesInOneSet(shape, width, channels, staged, twoRowPixels, 2) <= L1Sets.WaysForOneTile)
            {
                tileRows = 2;
                pixels = twoRowPixels;
            }
        }

        bool wholeRowTiles = false;
        if (channelInner)
        {
            // As many pixels as keep one tile's lines within an L1 set's ways (at 1 KiB strides and up): on Zen 4,
            // 56x56x256 in tiles of 8 pixels 300 us, of 6 or 4 pixels 245-250; 14x14x1024 staged, 8 or 7 pixels 59 us, 6 pixels 52.
            pixels = Math.Min(pixels, 8);
            while (group == 1 && pixels > 4 && DepthwiseTileLinesInOneSet(shape, width, channels, staged, pixels, tileRows) > L1Sets.WaysForOneTile)
            {
                pixels--;
            }

            wholeRowTiles = DepthwiseWholeRowIl(pixels, shape, width, tail, group, tileRows, realigned) * laneGroupIl <= MaxMethodIl;
            if (perPass <= 2 && channels * sizeof(float) % 512 == 0 && staged == 0)
            {
                perPass = vectors;
            }
        }

        // Groups whose windows overlap down the image (a 3-row window at stride 2, or 1 in the on-line plan): a row's bottom
        // input rows are the next row's top ones. Row by row, every
        // group of the row ran in between and evicted it; walked down the rows, a tile reads it again from L1. Where all
        // the groups of one tile fit in L1 (three quarters of Zen 4's), the tile walks down with all of them, and the lines
        // two groups share are read once too; wider, each group walks down alone. Measured on Zen 4, on a float[] (row by
        // row / tile down / group down, us): 14x14x512 11.3-12.2 / 11.1-11.3 / 9.5, 28x28x512 49 / 49 / 41-50, 14x14x576
        // 10.0 / 10.2 / 9.5-9.9, 112x112x96 108 / 106-108 / 116-117, 56x56x144 41 / 39-40 / 43, 28x28x192 12.1-12.5 / 11.6 / 12.4.
        WalkDown walkDown = WalkDown.None;
        if (group > 1 && ((shape.KernelHeight - 1) * shape.DilationHeight) + 1 > shape.StrideHeight)
        {
            long tileBytes = (long)shape.KernelHeight * TileInputColumns(pixels, shape, width) * channels * sizeof(float);
            walkDown = tileBytes <= L1PassBytes ? WalkDown.EachTile : WalkDown.EachGroup;
        }
        else if (WalksOneVectorTiles(shape, channels, channelInner, group, tileRows, staged, wholeRowTiles, pixels, width))
        {
            // (a tile's column of kernel rows holds every channel in L1: no passes)
            walkDown = WalkDown.EachTile;
            perPass = vectors;
        }

        var plan = new PathPlan(isa, pixels, group, isa.Lanes, channels / isa.Lanes, channels % isa.Lanes, 1, inRegisters)
        {
            VectorsPerPass = perPass >= vectors ? int.MaxValue : perPass,
            KernelRowWeightsInRegisters = rowWeights,
            PassBandRows = perPass < vectors && staged == 0 && walkDown == WalkDown.None && !realigned && !intoBand ? PassBands(shape, width, channels) : 0,
            ChannelInner = channelInner,
            WholeRowTiles = wholeRowTiles,
            StagedPixelFloats = staged,
            TileRows = tileRows,
            WalkDown = walkDown,

            // At pixels a multiple of 1 KiB apart a group's loads share their low 12 address bits with the stores of the
            // tile above it, which wrote the same channels, when the output lies near the input modulo 4 KiB, as two
            // float[]s allocated in turn may: the loads wait (4K aliasing). There the groups walk in pairs (chosen per
            // call). Zen 4, 8 bytes off a line, output 0-32 / 512-1024 bytes past the input modulo 4 KiB, before / after
            // (us): 28x28x512 stride 2 37.4-38.9 / 30.5-30.9 -> 32.6-33.6 / 30.6-31.0; 14x14x512 stride 2 7.9-8.0 /
            // 6.3-6.6 -> 6.9-7.0 / 6.3-6.5. Strided layers only: the on-line plan's stride-1 walk (14x14x512 on a line)
            // gained little near and lost 4-6 % far.
            PairedWalk = walkDown == WalkDown.EachGroup && staged == 0 && channels * sizeof(float) % 1024 == 0 && shape.StrideHeight > 1,
            RealignedLoads = realigned,

            // Staged at stride 1, pixels 2 KiB apart: on an input that starts on a line, groups walking down the rows read
            // it in place faster than the copy and its tiles (Zen 4, 14x14x512: 17.6 us against 22.7 staged, oneDNN 26.5;
            // 7x7x512: 4.3 against 5.6). Off a line their loads straddle lines (realigned, 25.2 against 24.5), and at
            // 4 KiB and more every pixel's group falls in the same few L1 sets (14x14x1024: 57 against 47 us).
            OnLine = !onLine && staged > 0 && isa.Lanes == 16 && isa.Registers >= 32 && channels * sizeof(float) == 2048
                ? DepthwiseTile(isa, channels, shape, width, onLine: true)
                : null,

            // Fewer channels than lanes would leave most of every vector empty: flatten the row instead.
            FlatRows = !isa.IsScalar && channels < isa.Lanes && shape.StrideWidth == 1,
        };

        // Off a line, the loads of one-vector tiles straddle two lines; cut at the input's line boundaries they do not
        // (see ShiftedWindows). Zen 4, input and output 8 bytes off a line, plain / shifted / on a line (us): 28x28x256
        // 50 / 37 / 34, 56x56x144 106 / 77 / 73, 112x112x64 148 / 132 / 127, 14x14x384 13 / 11 / 11, 7x7x960 8.5-9.6 /
        // 7.5 / 7.0, 28x28x240 5x5 90-95 / 84-88 / 78. Tiles per column run instead of across the row lost on small
        // images (7x7x960 9.6: a pass reloads the weights once per run), so whole-row tiles keep their shape.
        // Not with the exp-based activations in passes: a pass's row pass would read channels a later pass writes.
        // The shifted set reads in place: on staged layers at 2 KiB pixels, it saves the copy (14x14x512 24.4 -> 19.9 us,
        // 7x7x512 6.0 -> 4.5); at 4 KiB and more the copy's spread over L1 sets wins (14x14x1024 52 staged, 78 shifted).
        // Strided groups take it too, each pixel's vectors on its own (the shift from pixel to pixel does not hold at
        // stride 2): the vector left over wraps, blended from two aligned loads and stored rotated (WriteShiftedGroups).
        // Zen 4, 8 bytes off a line, plain or realigned / shifted / on a line (us): 14x14x512 s2 8.4-8.7 / 7.6 / 6.5,
        // 14x14x576 s2 8.9-9.5 / 7.6 / 7.0, 112x112x96 s2 107 / 87 / 80, 56x56x144 s2 40 / 34 / 32, 28x28x192 s2 12 /
        // 9.8 / 8.9, 56x56x128 s2 35-37 / 29 / 27; 14x14x1024 s2 (4 KiB pixels) 23-25 either way. One-vector tiles
        // across strided columns wrap the same way: 28x28x672 5x5 s2 93-97 / 76 / 67. At the image's first and last
        // pixels the wrapping loads go through WrappedVector, so every row runs the set (14x14x512 s2 7.5 -> 6.5 us).
        // (A separable layer's activation is its pointwise step's: the depthwise step into the band applies none.)
        bool shifted = isa.Lanes == 16 && !onLine && channelInner && channels % 16 == 0 && shape.InputChannels == channels && !lanesRemapped
            && (staged == 0 || channels * sizeof(float) == 2048)
            && (perPass >= vectors || intoBand || !Emitter.ActivationWriter.NeedsPass(shape.Activation));
        if (!shifted)
        {
            return plan;
        }

        // The shifted set's row methods hold more code than the plain ones (a tile's last vector, the plain or wrapping
        // vectors at the edges): measured 2.2-3.1 times their IL (28x28x240 5x5 13957 -> 42931 bytes, 56x56x256 12653 ->
        // 35669, 28x28x192 s2 groups 17925 -> 39340), past the plain methods' budget but not the JIT's threshold. Whole-row
        // tiles where the estimate stays under that threshold, else tiles per column run, else no shifted set: no kernel
        // method may be compiled without optimization.
        bool shiftedWholeRow = wholeRowTiles && ShiftedIlFactor * DepthwiseWholeRowIl(pixels, shape, width, tail, group, tileRows) <= JitOptimizedIl;
        if (!shiftedWholeRow && ShiftedIlFactor * DepthwiseRowsIl(pixels, shape, width, tail, group, tileRows) > JitOptimizedIl)
        {
            return plan;
        }

        // (One-vector tiles walk down the rows in whole-row tiles only: the shifted set's tiles per column run do not.)
        PathPlan shiftedPlan = plan with
        {
            ShiftedWindows = true,
            WholeRowTiles = shiftedWholeRow,
            StagedPixelFloats = 0,
            OnLine = null,
            RealignedLoads = false,
            WalkDown = group == 1 && !shiftedWholeRow ? WalkDown.None : plan.WalkDown,
        };
        return plan with
        {
            Shifted = shiftedPlan with
            {
                // One-vector tiles at pixels a multiple of 2 KiB: a tile's loads follow the stores of the tile before,
                // the neighbouring vector; an output just past the input modulo 4 KiB makes them wait (4K aliasing).
                // Zen 4, 14x14x512, 8 bytes off a line, output 32 / 96 / 128 bytes past the input (us): in order 35-37 /
                // 39-41 / 24, vectors 5 apart 28.7-29 / 21.9 / 19.8 (19-20 with the output elsewhere, in order). At 1 KiB
                // (28x28x256) the strided order lost at 32 bytes (45.6 against 42.9 us), so not there.
                JustPast = group == 1 && channels * sizeof(float) % 2048 == 0 && !intoBand ? shiftedPlan with { StridedVectors = true } : null,
            },
        };
    }

    /// <summary>
    /// The output rows per band of a depthwise image in passes (see <see cref="PathPlan.PassBandRows"/>), or 0. Each pass
    /// reads its vectors' lines of every input row; where the input is larger than L2's share, the next pass finds them
    /// evicted and reads its own from L3, and off a cache line a vector's loads straddle the lines the next pass reads
    /// too. In bands whose input and output rows fit L2's share, every pass of a band runs before the next band, so a
    /// pass's shared lines come from L2. An even number of rows, so the two-row tiles pair the same rows; and at least
    /// three times the rows two bands' windows share (the halo), which each band reads again. Zen 5, A/B in one process,
    /// whole image / bands (us): 56x56x144 (5 passes of 2 vectors, 1.8 MB in, bands of 8, halo 2) with input and output
    /// 8 bytes off a line 56.5-81 / 55-72 (bands of 4 to 16 rows: 2-9 % faster), on a line 49-54 / 50-54, odd floats off
    /// a line (the plain set) 103-104 / 83-99. MobileNet's 112x112x32 on the Vector256 and Vector128 paths (bands of 18)
    /// 194.5 / 192.9 and 291.6 / 287.8 us off a line, the same on one. Not with a halo as wide: 28x28x240 5x5 (bands of
    /// 8, halo 4) 62.7 / 65.2 off a line, 62.6 / 66.5 at odd floats; 28x28x672 5x5 stride 2 (bands of 2, halo 3) 54.7 /
    /// 56.5, 49.1 / 57.4 on a line.
    /// </summary>
    private static int PassBands(ShapeModel shape, AxisPlan width, int channels)
    {
        // (The input being over the share, a band's rows are fewer than the image's.)
        long inputBytes = (long)shape.InputHeight * shape.InputWidth * channels * sizeof(float);
        long rowBytes = ((long)shape.StrideHeight * shape.InputWidth * channels * sizeof(float)) + ((long)width.Output * channels * sizeof(float));
        int rows = (int)(L2BlockBytes / rowBytes) & ~1;
        int halo = Math.Max(0, ((shape.KernelHeight - 1) * shape.DilationHeight) + 1 - shape.StrideHeight);
        return inputBytes > L2BlockBytes && rows >= 2 && rows >= 3 * halo ? rows : 0;
    }

    /// <summary>
    /// One-vector tiles of one output row across the whole row walk down the rows (<see cref="WalkDown.EachTile"/>) where
    /// a row's kernel rows overflow L1 and a tile's column of them does not. Row by row, each output row then reads all
    /// of its kernel rows from L2 again; walking down, a tile's first rows are the ones the tile above it read, still in
    /// L1, and only its last row is new. This is the case of pixels 1 KiB apart and more, whose L1 sets keep the tiles to
    /// one row of a few pixels (see <see cref="DepthwiseTileLinesInOneSet"/>): on Zen 5, 56x56x256 ran 174-182 us row
    /// by row and 141-147 walking down (A/B in one process); 28x28x256 42-45 and 40-43.
    /// </summary>
    private static bool WalksOneVectorTiles(ShapeModel shape, int channels, bool channelInner, int group, int tileRows, int staged, bool wholeRowTiles, int pixels, AxisPlan width)
    {
        long pixelBytes = (long)channels * sizeof(float);
        bool rowsOverlap = ((shape.KernelHeight - 1) * shape.DilationHeight) + 1 > shape.StrideHeight;
        return channelInner && group == 1 && tileRows == 1 && staged == 0 && wholeRowTiles && rowsOverlap
            && shape.KernelHeight * shape.InputWidth * pixelBytes > L1PassBytes
            && shape.KernelHeight * TileInputColumns(pixels, shape, width) * pixelBytes <= L1PassBytes;
    }

    /// <summary>
    /// The most lines one depthwise tile (one channel vector of <paramref name="rows"/> x <paramref name="pixels"/>
    /// outputs) puts in one L1 set: the input lines its windows read, from the caller's array or the staged copy, and the
    /// output lines it stores, the two arrays taken as aligned alike (the worst case).
    /// </summary>
    private static int DepthwiseTileLinesInOneSet(ShapeModel shape, AxisPlan width, int channels, int stagedPixelFloats, int pixels, int rows)
    {
        long inputPixel = (stagedPixelFloats > 0 ? stagedPixelFloats : channels) * sizeof(float), outputPixel = channels * sizeof(float);
        IEnumerable<long> inputs =
            from inputRow in Enumerable.Range(0, ((rows - 1) * shape.StrideHeight) + ((shape.KernelHeight - 1) * shape.DilationHeight) + 1)
            from column in Enumerable.Range(0, TileInputColumns(pixels, shape, width))
            select ((long)inputRow * shape.InputWidth + column) * inputPixel;
        IEnumerable<long> outputs =
            from row in Enumerable.Range(0, rows)
            from pixel in Enumerable.Range(0, pixels)
            select ((long)row * width.Output + pixel) * outputPixel;
        return L1Sets.MostLinesInOneSet(inputs, outputs);
    }

    private static AxisPlan Axis(ConvAxis axis) => new(axis.Input, axis.Kernel, axis.Stride, axis.Dilation, axis.PadBegin, axis.PadEnd, axis.Output,
        axis.InteriorBegin, axis.InteriorEnd, axis.TapRuns().Select(r => new TapRunPlan(r.Begin, r.End, r.FirstTap, r.EndTap)).ToEquatableArray());

    private static bool IsInterior(TapRunPlan run, AxisPlan axis) => run.FirstTap == 0 && run.EndTap == axis.Kernel && run.Begin == axis.InteriorBegin && run.End == axis.InteriorEnd;

    /// <summary>
    /// The pixels outside the interior as lines: every rectangle of (row run x column run) but the interior one,
    /// walked along its longer side so that lines are long and few.
    /// </summary>
    private static IEnumerable<BorderLine> BorderLines(AxisPlan height, AxisPlan width)
    {
        foreach (TapRunPlan rows in height.Runs)
        {
            foreach (TapRunPlan columns in width.Runs)
            {
                if (IsInterior(rows, height) && IsInterior(columns, width))
                {
                    continue;
                }

                int rowCount = rows.End - rows.Begin, columnCount = columns.End - columns.Begin;
                if (columnCount >= rowCount)
                {
                    for (int row = rows.Begin; row < rows.End; row++)
                    {
                        yield return new BorderLine(row, columns.Begin, columnCount, false, rows.FirstTap, rows.EndTap, columns.FirstTap, columns.EndTap);
                    }
                }
                else
                {
                    for (int column = columns.Begin; column < columns.End; column++)
                    {
                        yield return new BorderLine(rows.Begin, column, rowCount, true, rows.FirstTap, rows.EndTap, columns.FirstTap, columns.EndTap);
                    }
                }
            }
        }
    }
}

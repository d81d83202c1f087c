using System.Linq;
using SpecializedConv.Generators.Model;

namespace SpecializedConv.Generators.Planner;

/// <summary>Which kernel the layer gets.</summary>
internal enum PlanKind
{
    /// <summary>Direct convolution: register tiles of pixels x output-channel vectors, taps unrolled.</summary>
    Direct,

    /// <summary>1x1, stride 1, unpadded, one group: a matrix product over contiguous pixels.</summary>
    Pointwise,

    /// <summary>One input channel per output channel: vectors of channels, weights in registers.</summary>
    Depthwise,

    /// <summary>Depthwise rows into a small band, consumed by the pointwise kernel.</summary>
    Separable,

    /// <summary>Not specialized: the class delegates to the runtime kernel.</summary>
    Delegate,
}

/// <summary>How a depthwise run's tiles take its rows.</summary>
internal enum WalkDown
{
    /// <summary>Row by row: every tile of a row, each with every channel vector, before the next row.</summary>
    None,

    /// <summary>
    /// Each group of channel vectors walks its tile down all the rows before the next group: pixels so wide that all
    /// groups of one tile overflow L1 (a row's other groups would evict the shared row).
    /// </summary>
    EachGroup,

    /// <summary>
    /// Each column tile walks down all the rows, every group of a row before the row below: the groups of one tile fit in
    /// L1, so the lines two groups share are read once too.
    /// </summary>
    EachTile,
}

/// <summary>One axis with its padding resolved and its outputs cut into runs that read the same taps.</summary>
internal sealed record AxisPlan(int Input, int Kernel, int Stride, int Dilation, int PadBegin, int PadEnd, int Output, int InteriorBegin, int InteriorEnd, EquatableArray<TapRunPlan> Runs)
{
    public int InteriorCount => InteriorEnd - InteriorBegin;

    /// <summary>The run that output <paramref name="output"/> belongs to: the taps its window finds inside the input.</summary>
    public TapRunPlan RunOf(int output) => Runs.First(r => r.Begin <= output && output < r.End);
}

/// <summary>Outputs <c>[Begin, End)</c> read taps <c>[FirstTap, EndTap)</c>.</summary>
internal sealed record TapRunPlan(int Begin, int End, int FirstTap, int EndTap);

/// <summary>
/// A line of border pixels that read the same taps: <see cref="Count"/> pixels from (<see cref="Row"/>,
/// <see cref="Column"/>) along the row, or down the column when <see cref="Down"/>.
/// </summary>
internal sealed record BorderLine(int Row, int Column, int Count, bool Down, int FirstRowTap, int EndRowTap, int FirstColumnTap, int EndColumnTap);

/// <summary>
/// A path's register tile. Direct and pointwise: <see cref="Pixels"/> output pixels x <see cref="Vectors"/> vectors of
/// output channels (a block of <see cref="BlockChannels"/>); the group's last block may be narrower. Depthwise:
/// <see cref="Pixels"/> pixels of one channel vector, weights in registers when <see cref="WeightsInRegisters"/>.
/// </summary>
internal sealed record PathPlan(VectorIsa Isa, int Pixels, int Vectors, int BlockChannels, int FullBlocks, int TailChannels, int BorderPixels, bool WeightsInRegisters)
{
    /// <summary>
    /// Depthwise: channel vectors per pass over the image. All of them when the input rows a kernel row band reads fit
    /// in L1, so the rows are the outer loop; fewer when they do not, so that a pass's rows stay in L1 as it slides down.
    /// </summary>
    public int VectorsPerPass { get; init; } = int.MaxValue;

    /// <summary>
    /// Depthwise one-vector tiles whose window has more taps than 16 registers hold (5x5 and 7x7 on the paths without
    /// AVX-512): each kernel row's weights are loaded into registers as the tile reaches that row, instead of every FMA
    /// reading its weight from L1.
    /// </summary>
    public bool KernelRowWeightsInRegisters { get; init; }

    /// <summary>
    /// Depthwise in passes of channel vectors over an input larger than L2 keeps: output rows per band when every pass
    /// runs over one band before the next, so that the band's input and output lines stay in L2 from pass to pass; 0
    /// when each pass runs over the whole image.
    /// </summary>
    public int PassBandRows { get; init; }

    /// <summary>
    /// Depthwise with fewer channels than a vector, stride 1 along the width: each output row is one flat line of
    /// columns x channels in vectors, every lane used, taps as constant shifts of the input line.
    /// </summary>
    public bool FlatRows { get; init; }

    /// <summary>
    /// Depthwise with many channels: within a row, each tile of pixels runs every channel vector before the next tile,
    /// so that consecutive loads walk a pixel's channels contiguously instead of one vector at a wide stride.
    /// </summary>
    public bool ChannelInner { get; init; }

    /// <summary>
    /// Depthwise, channels inner: the row's tiles are written out across its whole width, edge pixels in the same tiles
    /// as the interior (fewer, fuller tiles on narrow rows), when the row's code fits one method.
    /// </summary>
    public bool WholeRowTiles { get; init; }

    /// <summary>
    /// Depthwise, channels inner, pixels a multiple of 2 KiB apart: floats per pixel of the copy each pass's channels
    /// are staged into (64-byte aligned, an odd number of cache lines, so consecutive pixels fall in different L1
    /// sets), or 0 when the kernel reads the input where it is.
    /// </summary>
    public int StagedPixelFloats { get; init; }

    /// <summary>
    /// Depthwise, channels inner, stride and dilation 1 down the image: output rows a tile computes together (the input
    /// rows they share loaded once), the run's last odd row alone.
    /// </summary>
    public int TileRows { get; init; } = 1;

    /// <summary>
    /// Depthwise in groups of channel vectors, windows overlapping down the image: how the tiles walk down a run's rows so
    /// that the input row a tile reads last (its bottom kernel row) is the first the tile below reads, still in L1.
    /// </summary>
    public WalkDown WalkDown { get; init; }

    /// <summary>
    /// <see cref="WalkDown.EachGroup"/>, read in place, pixels a multiple of 1 KiB apart: where the caller's output lies
    /// near its input modulo 4 KiB (chosen per call, <c>StoreAliasing.PairGroups</c>), the groups walk down in pairs half
    /// the channels apart, each tile followed by its partner's, so that no tile's loads follow stores to the channels
    /// they read (4K aliasing), the shifted set's wrapping group with the middle one; elsewhere one after the other.
    /// </summary>
    public bool PairedWalk { get; init; }

    /// <summary>
    /// The <see cref="JustPast"/> plan: one-vector tiles take the vectors of a pixel several apart, not in order.
    /// </summary>
    public bool StridedVectors { get; init; }

    /// <summary>
    /// Shifted set of one-vector tiles, pixels a multiple of 2 KiB apart: the plan run instead when the caller's output
    /// starts just past its input modulo 4 KiB (chosen per call, <c>StoreAliasing.OutputJustPast</c>), as two float[]s
    /// of a multiple of 4 KiB allocated in turn do. Tiles taking the vectors in order would each load the lines the tile
    /// before just stored to (the neighbouring vector, at the same low 12 address bits) and wait; this plan takes them
    /// <see cref="StridedVectors"/>. A set of its own, so that the plan in order keeps its code for every other placement.
    /// </summary>
    public PathPlan? JustPast { get; init; }

    /// <summary>
    /// Depthwise groups on the Vector512 path, pixels of whole lines and 1 KiB or more: the path has a second set of row
    /// methods whose group tiles load whole 64-byte lines and shift the lanes into place, run when the caller's input is
    /// off a line boundary (where plain loads would straddle two lines). In the emitter, set on the copy that writes them.
    /// </summary>
    public bool RealignedLoads { get; init; }

    /// <summary>
    /// Depthwise on the Vector512 path, channels a multiple of 16 (in place: not at the staged 4 KiB strides and more): the
    /// plan run instead when the caller's input starts an even number of floats past a 64-byte line (a float[], 7 times
    /// in 8), where every plain load would straddle two lines; null where there is none. Its vectors start at the
    /// input's line boundaries, a whole number of floats into each pixel, against weights packed once per shift. One-vector
    /// tiles take a column run's pixels as one flat line of channels (a tap is still a shift by whole pixels; the run's
    /// first and last 16 channels are plain vectors); group tiles, and one-vector tiles across strided columns, keep each
    /// pixel's vectors to itself, the one left over wrapping from its end to its start.
    /// </summary>
    public PathPlan? Shifted { get; init; }

    /// <summary>This plan is a <see cref="Shifted"/> one: its vectors start <c>shift</c> floats into each pixel.</summary>
    public bool ShiftedWindows { get; init; }

    /// <summary>
    /// Depthwise, staged: the plan run instead when the caller's input starts on a 64-byte line (chosen per call), its
    /// groups reading the input in place; null when the staged plan serves every input.
    /// </summary>
    public PathPlan? OnLine { get; init; }

    /// <summary>Direct: input channels per pass over the image, so a block's weights stay in L2 (all of them when they fit).</summary>
    public int ChannelChunk { get; init; } = int.MaxValue;

    /// <summary>Vectors of the narrower last block, 0 when every block is full.</summary>
    public int TailVectors => (TailChannels + Isa.Lanes - 1) / Isa.Lanes;

    public int Blocks => FullBlocks + (TailChannels > 0 ? 1 : 0);
}

/// <summary>Everything the emitter needs: the layer, its geometry, the kernel chosen and each path's tile.</summary>
internal sealed record LayerPlan(
    LayerModel Layer,
    PlanKind Kind,
    string? DelegateReason,
    AxisPlan Height,
    AxisPlan Width,
    int Groups,
    int InputChannelsPerGroup,
    int OutputChannelsPerGroup,
    EquatableArray<BorderLine> Border,
    bool UnrollTaps,
    EquatableArray<PathPlan> Paths,
    EquatableArray<PathPlan> PointwisePaths,
    int BandRows,
    long Flops,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    public ShapeModel Shape => Layer.Shape!;

    /// <summary>
    /// Direct, narrow images: each output row runs in register tiles across its full width, edge pixels included (each
    /// reads only its valid taps, fixed here), by runs of rows that read the same kernel rows; there is no border routine.
    /// </summary>
    public bool WholeRows { get; init; }

    /// <summary>
    /// Direct: output rows per band when every part of the image (interior methods, output blocks, border lines) runs
    /// over one band before the next, so that the passes share the band's lines in L1; 0 when each part runs over the
    /// whole image.
    /// </summary>
    public int ImageBandRows { get; init; }

    /// <summary>Output channels of the convolution (for a separable layer, of its depthwise step).</summary>
    public int ConvolutionOutputs => Groups * OutputChannelsPerGroup;
}

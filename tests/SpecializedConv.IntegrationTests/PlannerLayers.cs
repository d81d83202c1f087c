namespace SpecializedConv.IntegrationTests;

// Layers chosen to reach every branch of the planner and the emitters: SAME with odd sizes and strides 2 and 3,
// asymmetric pads, rectangular kernels, per-axis stride and dilation, odd channel counts and block tails, groups,
// depth multipliers, 1x1 inputs, kernels as large as the input, every activation, large kernels, delegations.

[Conv2D(7, 9, 5, 20, 3, Stride = 2, Padding = Padding.Same)]
public partial class SameOddStride2;

// Direct images in bands of rows (an output over L2's share, weights that fit L1): two blocks and a border column
// down every band, an odd number of rows (the last band short; parallel parts split the rows anywhere).
[Conv2D(150, 150, 3, 32, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class ImageBands;

// The same for whole rows, per group.
[Conv2D(301, 18, 4, 32, 3, Groups = 2, Padding = Padding.Same)]
public partial class ImageBandsWholeRows;

[Conv2D(11, 10, 4, 17, 3, Stride = 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class SameOddStride3;

[Conv2D(9, 9, 3, 8, 4, Padding = Padding.Same)]
public partial class SameEvenKernel;

[Conv2D(10, 12, 6, 24, 3, PadTop = 0, PadBottom = 2, PadLeft = 3, PadRight = 1)]
public partial class AsymmetricPads;

[Conv2D(12, 20, 8, 16, 1, KernelWidth = 7, Padding = Padding.Same)]
public partial class Kernel1x7;

[Conv2D(20, 12, 8, 16, 1, KernelHeight = 7, Padding = Padding.Same)]
public partial class Kernel7x1;

[Conv2D(15, 16, 5, 33, 5, KernelWidth = 3, StrideHeight = 1, StrideWidth = 2, Padding = Padding.Same)]
public partial class Kernel5x3PerAxisStride;

[Conv2D(16, 16, 4, 12, 3, DilationHeight = 2, DilationWidth = 3, Padding = Padding.Same)]
public partial class PerAxisDilation;

[Conv2D(17, 17, 3, 10, 3, Stride = 2, Dilation = 2, Pad = 1)]
public partial class StrideAndDilation;

[Conv2D(13, 13, 3, 7, 2, Stride = 3)]
public partial class StrideOverKernel;

[Conv2D(9, 9, 7, 13, 3, Pad = 1, Activation = Activation.LeakyRelu, ActivationAlpha = 0.2f)]
public partial class OddChannelsLeaky;

[Conv2D(8, 8, 10, 100, 3, Pad = 1, Activation = Activation.Relu6)]
public partial class BlocksWithTail;

[Conv2D(10, 10, 8, 12, 3, Groups = 4, Padding = Padding.Same)]
public partial class Grouped;

[Conv2D(9, 7, 6, 40, 1, Groups = 2)]
public partial class GroupedPointwise;

[DepthwiseConv2D(12, 12, 5, 3, DepthMultiplier = 2, Padding = Padding.Same)]
public partial class DepthwiseMultiplier2;

[DepthwiseConv2D(11, 13, 4, 3, DepthMultiplier = 3, Stride = 2)]
public partial class DepthwiseMultiplier3Strided;

[DepthwiseConv2D(14, 14, 40, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class DepthwiseChannelTail;

[DepthwiseConv2D(15, 15, 32, 3, Stride = 2, Padding = Padding.Same)]
public partial class DepthwiseStride2;

// Many channels: tiles run channels inner. Few rows: a parallel Forward splits channel vectors, whose rows must each
// get the exp-based activation once.
[DepthwiseConv2D(3, 11, 200, 3, Padding = Padding.Same, Activation = Activation.Sigmoid)]
public partial class DepthwiseFewRowsSigmoid;

[DepthwiseConv2D(9, 10, 72, 5, Stride = 2, Dilation = 1, PadTop = 2, PadBottom = 1, PadLeft = 0, PadRight = 3, Activation = Activation.Relu6)]
public partial class DepthwiseChannelInnerAsymmetric;

// Too wide for a row's tiles in one method: channels inner by runs of columns.
[DepthwiseConv2D(4, 150, 68, 3, Padding = Padding.Same, Activation = Activation.Silu)]
public partial class DepthwiseChannelInnerWide;

// Pixels a multiple of 2 KiB apart: each pass's channels are staged at a conflict-free stride (passes of 14 vectors
// and a partial last one; with 2048 channels, stride 2 and an asymmetric 5x5 window; 512 channels; in a separable
// layer's bands).
[DepthwiseConv2D(7, 9, 1024, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class DepthwiseStaged;

[DepthwiseConv2D(9, 8, 2048, 5, Stride = 2, PadTop = 2, PadBottom = 1, PadLeft = 1, PadRight = 2, Activation = Activation.Sigmoid)]
public partial class DepthwiseStagedStride2Sigmoid;

[DepthwiseConv2D(6, 5, 512, 3, Pad = 1, Activation = Activation.HardSwish)]
public partial class DepthwiseStaged512;

// Stride 1 down the image: tiles of two output rows (an odd interior, so a last row alone; rows split into parallel
// parts at odd boundaries; an exp-based activation over both rows of a tile).
[DepthwiseConv2D(12, 11, 96, 3, Padding = Padding.Same, Activation = Activation.Tanh)]
public partial class DepthwiseTwoRowTiles;

// Pixels 1 KiB apart: two-row tiles would crowd an L1 set, so one row a tile, of as few pixels as keep a tile's lines
// within the set's ways (5 of 8 on the Vector512 path: 13 columns in tiles of 5, 4 and 4); a row's kernel rows
// overflow L1, so each tile walks down the rows.
[DepthwiseConv2D(9, 13, 256, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class DepthwiseCrowdedSets;

// One-vector tiles walking down the rows (on every path), the shifted set's too, with an exp-based activation over
// every row walked and an odd height (parallel parts split the rows anywhere).
[DepthwiseConv2D(11, 14, 256, 3, Padding = Padding.Same, Activation = Activation.Sigmoid)]
public partial class DepthwiseOneVectorWalk;

// Passes of channel vectors in bands of rows (an input over L2's share), the shifted set's too, an odd number of rows;
// with an exp-based activation, applied per pass and row, and no shifted set.
[DepthwiseConv2D(57, 56, 144, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class DepthwisePassBands;

[DepthwiseConv2D(57, 56, 144, 3, Padding = Padding.Same, Activation = Activation.Sigmoid)]
public partial class DepthwisePassBandsSigmoid;

// 32 channels: passes in bands on the Vector256, Vector128 and scalar paths (one pass on Vector512).
[DepthwiseConv2D(113, 112, 32, 3, Padding = Padding.Same)]
public partial class DepthwisePassBandsNarrow;

// Depth multipliers of 2 and 4 as depthwise layers over the output channels, each input vector's lanes repeated: with
// an activation, strided 5x5 with asymmetric pads, declared as a grouped Conv2D, dilated, and wide enough for the tiles
// to run channels inner (128 outputs) and in two rows.
[DepthwiseConv2D(9, 10, 16, 3, Padding = Padding.Same, DepthMultiplier = 2, Activation = Activation.Relu6)]
public partial class RepeatedLanesMultiplier2;

[DepthwiseConv2D(11, 9, 8, 5, Stride = 2, PadTop = 2, PadBottom = 1, PadLeft = 0, PadRight = 2, DepthMultiplier = 4)]
public partial class RepeatedLanesMultiplier4Strided;

[Conv2D(12, 13, 24, 48, 3, Groups = 24, Padding = Padding.Same, Activation = Activation.Silu)]
public partial class RepeatedLanesGrouped;

[DepthwiseConv2D(14, 15, 32, 3, Dilation = 2, Padding = Padding.Same, DepthMultiplier = 2, UseBias = false)]
public partial class RepeatedLanesDilated;

[DepthwiseConv2D(30, 31, 64, 3, Padding = Padding.Same, DepthMultiplier = 2, Activation = Activation.HardSwish)]
public partial class RepeatedLanesChannelsInner;

// Groups of 4 and 2 channels as depthwise layers over whole groups in each vector, each input channel of a group
// broadcast across the group's lanes: with an activation, strided with asymmetric pads, a dilated 5x5 window without
// bias, and wide enough for the tiles to run channels inner.
[Conv2D(9, 11, 32, 32, 3, Groups = 8, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class LaneGroups4;

[Conv2D(10, 9, 32, 32, 3, Groups = 16, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 0, PadRight = 1)]
public partial class LaneGroups2Strided;

[Conv2D(12, 12, 64, 64, 5, Groups = 16, Dilation = 2, Padding = Padding.Same, UseBias = false, Activation = Activation.Sigmoid)]
public partial class LaneGroupsDilated5x5;

[Conv2D(20, 21, 128, 128, 3, Groups = 32, Pad = 1)]
public partial class LaneGroupsChannelsInner;

// Groups of 2 with their 18 weights in registers: two output rows a tile on Vector512.
[Conv2D(12, 13, 64, 64, 3, Groups = 32, Padding = Padding.Same, Activation = Activation.Tanh)]
public partial class LaneGroups2TwoRows;

// 7x7 windows, a kernel row's weights in registers at a time on the 16-register paths: channels inner with a block
// tail (40 channels), and strided with asymmetric pads and an activation (24 channels, one vector and a tail).
[DepthwiseConv2D(13, 11, 40, 7, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class DepthwiseRowWeights7x7;

[DepthwiseConv2D(15, 12, 24, 7, Stride = 2, PadTop = 3, PadBottom = 2, PadLeft = 1, PadRight = 3, Activation = Activation.Silu)]
public partial class DepthwiseRowWeights7x7Strided;

// The same into a separable layer's band: the depthwise step's tiles walk down the band's rows.
[SeparableConv2D(9, 12, 256, 24, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class SeparableOneVectorWalk;

// Shifted set (inputs an even number of floats past a line): a 5x5 window, so two one-pixel border runs each side
// stay plain; the interior run's last tile leaves out its last pixel's last vector; an exp-based activation.
[DepthwiseConv2D(11, 13, 64, 5, Padding = Padding.Same, Activation = Activation.Silu)]
public partial class DepthwiseShifted5x5;

// Shifted set without padding (the run starts at column 0 and ends at the row's end), dilated, in passes of channel
// vectors (a pixel's last vector reaching into a channel the next pass owns in the pixel after; 208 channels, so that
// a tile's column of kernel rows overflows the L1 budget and the tiles do not walk down the rows instead).
[DepthwiseConv2D(7, 40, 208, 3, Dilation = 2, Activation = Activation.Relu)]
public partial class DepthwiseShiftedValidPasses;

// Shifted set of a strided group plan whose one group is every vector (the wrapping one and three from the shift), an
// odd output width, an exp-based activation over the rows.
[DepthwiseConv2D(9, 11, 64, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Sigmoid)]
public partial class DepthwiseShiftedOneGroup;

// Shifted set of one-vector tiles across strided columns (a 5x5 window at stride 2 shares three): each pixel's
// wrapping vector first, then the others from the shift.
[DepthwiseConv2D(11, 12, 64, 5, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class DepthwiseShiftedStrided5x5;

// The same strided along the width only: two output rows a tile, each pixel's wrapping vector in both.
[DepthwiseConv2D(9, 12, 80, 5, StrideWidth = 2, Padding = Padding.Same, Activation = Activation.Tanh)]
public partial class DepthwiseShiftedWidthStride;

// Few channels, rows too wide for passes: channels inner (two vectors and a partial third on the Vector512 path, in
// two-row tiles).
[DepthwiseConv2D(5, 200, 40, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class DepthwiseFewChannelsWideRows;

// Strided, windows sharing at most one column: tiles of groups of channel vectors, then the vectors left one at a
// time (a partial last one; wide rows in runs of columns; a 2x2 window; an exp-based activation).
[DepthwiseConv2D(11, 13, 200, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class DepthwiseGroupsChannelTail;

[DepthwiseConv2D(4, 170, 80, 3, Stride = 2, Pad = 1, Activation = Activation.Silu)]
public partial class DepthwiseGroupsWide;

[DepthwiseConv2D(8, 9, 128, 2, Stride = 2, UseBias = false)]
public partial class DepthwiseGroups2x2;

// Groups whose tile overflows L1 with all of them (over 2 KiB a pixel): each group walks down the rows alone, the
// vectors left and the partial last one too; the exp-based activation over every row walked.
[DepthwiseConv2D(13, 11, 520, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Sigmoid)]
public partial class DepthwiseGroupsWalkDownAlone;

// Pixels of whole lines and 1 KiB or more: on an input off a line boundary the group loads are realigned from whole
// lines (a group of 4 vectors and one left; the bottom row, which reads the last input row, in plain loads).
[DepthwiseConv2D(13, 11, 272, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Sigmoid)]
public partial class DepthwiseGroupsRealigned;

// The same in VALID padding: every row's window inside the input, the last one reaching its last row.
[DepthwiseConv2D(9, 10, 256, 3, Stride = 2, UseBias = false)]
public partial class DepthwiseGroupsRealignedValid;

[SeparableConv2D(6, 6, 1024, 32, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class SeparableStaged;

// The depthwise step with a shifted set (inputs an even number of floats past a line), into the separable's band.
[SeparableConv2D(9, 10, 96, 40, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class SeparableShifted;

// A separable layer whose depthwise step runs in passes (144 channels, 56 wide), with an activation that runs as a pass
// after the pointwise step: the depthwise step into the band applies none, so it takes the shifted set too.
[SeparableConv2D(56, 56, 144, 32, 3, Padding = Padding.Same, Activation = Activation.Silu)]
public partial class SeparableShiftedSilu;

[DepthwiseConv2D(20, 20, 16, 5, Dilation = 2, Padding = Padding.Same, Activation = Activation.Silu)]
public partial class Depthwise5x5Dilated;

[Conv2D(10, 10, 24, 24, 3, Groups = 24, Pad = 1)]
public partial class DepthwiseAsGroupedConv;

[Conv2D(1, 1, 16, 8, 1)]
public partial class OnePixelPointwise;

[Conv2D(1, 1, 5, 9, 3, Padding = Padding.Same)]
public partial class OnePixelSame;

[Conv2D(5, 5, 3, 4, 5)]
public partial class KernelAsLargeAsInput;

[Conv2D(5, 6, 2, 6, 5, KernelWidth = 6, Padding = Padding.Same)]
public partial class KernelAsLargeAsInputSame;

[Conv2D(6, 7, 20, 30, 1, Activation = Activation.Sigmoid)]
public partial class PointwiseSigmoid;

[Conv2D(8, 8, 4, 20, 3, Padding = Padding.Same, Activation = Activation.Tanh)]
public partial class DirectTanh;

[Conv2D(8, 9, 3, 18, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Silu)]
public partial class DirectSilu;

[Conv2D(7, 7, 6, 19, 3, Padding = Padding.Same, Activation = Activation.HardSwish)]
public partial class DirectHardSwish;

[DepthwiseConv2D(9, 9, 20, 3, Pad = 1, Activation = Activation.LeakyRelu, ActivationAlpha = 0.1f)]
public partial class DepthwiseLeaky;

[DepthwiseConv2D(8, 8, 17, 3, Padding = Padding.Same, Activation = Activation.Tanh, UseBias = false)]
public partial class DepthwiseTanhNoBias;

[DepthwiseConv2D(10, 10, 16, 3, Padding = Padding.Same, Activation = Activation.Sigmoid)]
public partial class DepthwiseSigmoid;

[SeparableConv2D(16, 16, 8, 24, 3, Padding = Padding.Same, Activation = Activation.HardSwish)]
public partial class SeparableHardSwish;

[SeparableConv2D(17, 15, 12, 40, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6, UseBias = false)]
public partial class SeparableRelu6Strided;

[SeparableConv2D(12, 12, 20, 33, 5, Padding = Padding.Same, Activation = Activation.Silu)]
public partial class SeparableSilu5x5;

[SeparableConv2D(10, 10, 4, 16, 3, DepthMultiplier = 2, Padding = Padding.Same)]
public partial class SeparableMultiplierDelegates;

// A multiplier of 2 over 16 channels (32 in the band) and of 4 over 8 strided: the fused kernel, its depthwise step's
// input vectors repeating lanes.
[SeparableConv2D(11, 12, 16, 24, 3, DepthMultiplier = 2, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class SeparableMultiplier2;

[SeparableConv2D(13, 9, 8, 20, 5, DepthMultiplier = 4, Stride = 2, Padding = Padding.Same)]
public partial class SeparableMultiplier4Strided;

[Conv2D(14, 14, 3, 8, 9, Padding = Padding.Same, Activation = Activation.Relu)]
public partial class LargeKernel9x9;

[Conv2D(4, 200, 2, 4, 2, KernelWidth = 80, Padding = Padding.Same)]
public partial class WideKernelDelegates;

[Conv2D(6, 40, 3, 5, 1, KernelWidth = 35, Padding = Padding.Same)]
public partial class WideKernelRowUnrolled;

[Conv2D(14, 14, 64, 64, 3, Pad = 1, Activation = Activation.Relu)]
public partial class ResNetLike;

[Conv2D(7, 7, 33, 150, 1, Activation = Activation.Relu)]
public partial class PointwiseBlocks;

[Conv2D(9, 9, 16, 24, 1, Stride = 2)]
public partial class PointwiseStrided;

[Conv2D(3, 3, 2, 4, 3, Pad = 4)]
public partial class RowsWithoutTaps;

[Conv2D(24, 24, 3, 16, 7, Stride = 2, Pad = 3, Activation = Activation.Relu)]
public partial class Stem7x7;

// Images too wide for whole rows in one method: the interior tiles and the border routine.
[Conv2D(10, 72, 8, 64, 3, Pad = 1, Activation = Activation.Relu)]
public partial class WideInteriorAndBorder;

[Conv2D(9, 151, 5, 40, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.HardSwish)]
public partial class WideStride2SameBorder;

[Conv2D(5, 80, 256, 70, 3, Pad = 1, Activation = Activation.Relu6)]
public partial class WideChunkedBorder;

/// <summary>A layer nested in a class, in a namespace of its own.</summary>
public partial class Outer
{
    [DepthwiseConv2D(6, 6, 8, 3, Padding = Padding.Same)]
    public partial class NestedDepthwise;
}

[Conv2D(6, 6, 2, 3, 3)]
public partial record RecordLayer;

// Block weights over the L2 budget: input channels run in chunks (on the 512- and 256-bit paths here), the partial
// sums continuing from the output, the activation after the last chunk.
[Conv2D(5, 6, 1200, 70, 3, Pad = 1, Activation = Activation.Silu)]
public partial class ChunkedChannelsSilu;

[Conv2D(7, 7, 512, 40, 3, Pad = 1, Activation = Activation.Relu6, UseBias = false)]
public partial class ChunkedChannelsRelu6;

// Depthwise with fewer channels than a vector and stride 1 along the width: flat rows, taps as shifted lines.
[DepthwiseConv2D(9, 11, 5, 3, Dilation = 2, Padding = Padding.Same, Activation = Activation.Sigmoid)]
public partial class FlatRowsDilated;

[DepthwiseConv2D(7, 10, 2, 5, PadTop = 2, PadBottom = 0, PadLeft = 3, PadRight = 1, Activation = Activation.HardSwish)]
public partial class FlatRowsAsymmetric5x5;

[DepthwiseConv2D(6, 5, 3, 3, StrideHeight = 2, UseBias = false)]
public partial class FlatRowsStrideHeightOnly;

[DepthwiseConv2D(8, 8, 3, 3, Stride = 2, Padding = Padding.Same)]
public partial class SmallChannelsStrideTwo;

// Flat rows shorter than a vector (4 pixels x 3 channels = 12 floats): the first tap's shifted load must stop at the row's
// end (it read 13 floats of a 12-float row on Vector512, past the input at its last row).
[DepthwiseConv2D(4, 4, 3, 3, Padding = Padding.Same)]
public partial class FlatRowsShorterThanAVector;

// The same on the narrower paths, run by SimdPathTests against guard pages: rows of 6 floats (shorter than a Vector256)
// and of 3 (shorter than a Vector128).
[DepthwiseConv2D(3, 2, 3, 3, Padding = Padding.Same)]
public partial class FlatRowsShorterThanAVector256;

[DepthwiseConv2D(3, 1, 3, 3, Padding = Padding.Same)]
public partial class FlatRowsShorterThanAVector128;

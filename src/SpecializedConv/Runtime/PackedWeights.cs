using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpecializedConv.Runtime;

/// <summary>
/// A layer's weights packed once into the order its kernel reads them: floats in a pinned array whose first one sits
/// on a 64-byte boundary, so full-width vector loads never straddle a cache line. Immutable once built.
/// Called by generated layers; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PackedWeights
{
    private readonly float[] _array;
    private readonly int _offset;

    private PackedWeights(int length)
    {
        (_array, _offset) = TensorBuffer.AllocatePinned(length);
        Length = length;
    }

    /// <summary>Floats held.</summary>
    public int Length { get; }

    /// <summary>The first float (the array is pinned, so the reference never moves).</summary>
    public ref float Start => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _offset);

    /// <summary>The floats, for building.</summary>
    private Span<float> Span => _array.AsSpan(_offset, Length);

    /// <summary>
    /// Packs HWIO convolution weights <c>[taps][inputChannelsPerGroup][outputChannels]</c> by group and block of
    /// output channels. Each block of up to <paramref name="blockChannels"/> channels is rounded up to whole vectors
    /// of <paramref name="lanes"/> (zeros past the group's end) and stored either channel-major
    /// <c>[input channel][tap][block]</c> (<paramref name="channelMajor"/>: a kernel that unrolls the taps inside its
    /// channel loop) or tap-major <c>[tap][input channel][block]</c>. Blocks follow each other, groups too.
    /// </summary>
    /// <param name="hwio">The weights, HWIO.</param>
    /// <param name="taps">Kernel height x kernel width.</param>
    /// <param name="inputChannelsPerGroup">Input channels each group reads.</param>
    /// <param name="outputChannels">All output channels (groups x per group).</param>
    /// <param name="groups">The group count.</param>
    /// <param name="blockChannels">Output channels per full block (a multiple of <paramref name="lanes"/>).</param>
    /// <param name="lanes">Floats per vector.</param>
    /// <param name="channelMajor">The order within a block, as above.</param>
    /// <returns>The packed weights.</returns>
    public static PackedWeights Convolution(ReadOnlySpan<float> hwio, int taps, int inputChannelsPerGroup, int outputChannels, int groups, int blockChannels, int lanes, bool channelMajor)
    {
        int perGroup = outputChannels / groups;
        int blocks = (perGroup + blockChannels - 1) / blockChannels;
        int groupLength = 0;
        for (int block = 0; block < blocks; block++)
        {
            groupLength += taps * inputChannelsPerGroup * BlockStride(perGroup, block, blockChannels, lanes);
        }

        var packed = new PackedWeights(groups * groupLength);
        Span<float> destination = packed.Span;
        destination.Clear();
        int offset = 0;
        for (int group = 0; group < groups; group++)
        {
            for (int block = 0; block < blocks; block++)
            {
                int first = (group * perGroup) + (block * blockChannels);
                int width = Math.Min(blockChannels, perGroup - (block * blockChannels));
                int stride = BlockStride(perGroup, block, blockChannels, lanes);
                for (int tap = 0; tap < taps; tap++)
                {
                    for (int channel = 0; channel < inputChannelsPerGroup; channel++)
                    {
                        int row = channelMajor ? (channel * taps) + tap : (tap * inputChannelsPerGroup) + channel;
                        hwio.Slice((((tap * inputChannelsPerGroup) + channel) * outputChannels) + first, width)
                            .CopyTo(destination.Slice(offset + (row * stride), width));
                    }
                }

                offset += taps * inputChannelsPerGroup * stride;
            }
        }

        return packed;
    }

    /// <summary>
    /// Packs depthwise weights HWIO <c>[taps][1][channels]</c> (Keras <c>[KH, KW, C, M]</c>) as
    /// <c>[channel block][tap][lanes]</c>: one vector of channels per tap, blocks of <paramref name="lanes"/> channels, zeros past the end.
    /// </summary>
    /// <param name="hwio">The weights.</param>
    /// <param name="taps">Kernel height x kernel width.</param>
    /// <param name="channels">Output channels (input channels x multiplier).</param>
    /// <param name="lanes">Floats per vector.</param>
    /// <returns>The packed weights.</returns>
    public static PackedWeights Depthwise(ReadOnlySpan<float> hwio, int taps, int channels, int lanes)
    {
        int blocks = (channels + lanes - 1) / lanes;
        var packed = new PackedWeights(blocks * taps * lanes);
        Span<float> destination = packed.Span;
        destination.Clear();
        for (int block = 0; block < blocks; block++)
        {
            int width = Math.Min(lanes, channels - (block * lanes));
            for (int tap = 0; tap < taps; tap++)
            {
                hwio.Slice((tap * channels) + (block * lanes), width).CopyTo(destination.Slice(((block * taps) + tap) * lanes, width));
            }
        }

        return packed;
    }

    /// <summary>
    /// <see cref="Depthwise"/>'s layout once for every even channel shift below a vector: set <c>r</c> (shift <c>2r</c>)
    /// holds in lane <c>l</c> of vector <c>v</c> channel <c>(2r + v x lanes + l) mod channels</c>. Kernels whose vectors
    /// start at the caller's line boundaries, a whole number of floats into each pixel, take the set that matches; set 0 is
    /// the plain layout. Channels a multiple of <paramref name="lanes"/>.
    /// </summary>
    /// <param name="hwio">The weights.</param>
    /// <param name="taps">Kernel height x kernel width.</param>
    /// <param name="channels">Channels (multiplier 1).</param>
    /// <param name="lanes">Floats per vector.</param>
    /// <returns><c>lanes / 2</c> sets of <c>taps x channels</c> floats.</returns>
    public static PackedWeights DepthwiseShifted(ReadOnlySpan<float> hwio, int taps, int channels, int lanes)
    {
        var packed = new PackedWeights(lanes / 2 * taps * channels);
        Span<float> destination = packed.Span;
        for (int set = 0; set < lanes / 2; set++)
        {
            for (int vector = 0; vector < channels / lanes; vector++)
            {
                for (int tap = 0; tap < taps; tap++)
                {
                    for (int lane = 0; lane < lanes; lane++)
                    {
                        int channel = ((2 * set) + (vector * lanes) + lane) % channels;
                        destination[(((set * channels / lanes) + vector) * taps * lanes) + (tap * lanes) + lane] = hwio[(tap * channels) + channel];
                    }
                }
            }
        }

        return packed;
    }

    /// <summary>The bias as <see cref="DepthwiseShifted"/> lays channels out: set <c>r</c> starts at channel <c>2r</c> (zeros without bias).</summary>
    /// <param name="bias">The bias, or empty.</param>
    /// <param name="channels">Channels, a multiple of <paramref name="lanes"/>.</param>
    /// <param name="lanes">Floats per vector.</param>
    /// <returns><c>lanes / 2</c> sets of <c>channels</c> floats.</returns>
    public static PackedWeights BiasShifted(ReadOnlySpan<float> bias, int channels, int lanes)
    {
        var packed = new PackedWeights(lanes / 2 * channels);
        Span<float> destination = packed.Span;
        for (int set = 0; set < lanes / 2; set++)
        {
            for (int channel = 0; channel < channels; channel++)
            {
                destination[(set * channels) + channel] = bias.IsEmpty ? 0 : bias[((2 * set) + channel) % channels];
            }
        }

        return packed;
    }

    /// <summary>
    /// Depthwise weights (multiplier 1) expanded along a flattened output row, for layers with fewer channels than a
    /// vector: <c>[tap][output column x channels, rounded up to vectors]</c>, the weight of channel <c>c</c> of tap
    /// <c>(ky, kx)</c> at every column whose input column <c>ox - padLeft + kx x dilation</c> is inside the row, zero at
    /// the others (the taps that read the padding). Stride 1 along the width.
    /// </summary>
    /// <param name="hwio">The weights, <c>[KH, KW, C]</c>.</param>
    /// <param name="kernelHeight">Kernel rows.</param>
    /// <param name="kernelWidth">Kernel columns.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="inputWidth">Input columns.</param>
    /// <param name="outputWidth">Output columns.</param>
    /// <param name="dilation">Dilation along the width.</param>
    /// <param name="padLeft">Zero columns left of the input.</param>
    /// <param name="lanes">Floats per vector.</param>
    /// <returns>The expanded weights.</returns>
    public static PackedWeights DepthwiseRows(ReadOnlySpan<float> hwio, int kernelHeight, int kernelWidth, int channels, int inputWidth, int outputWidth, int dilation, int padLeft, int lanes)
    {
        int row = (outputWidth * channels + lanes - 1) / lanes * lanes;
        var packed = new PackedWeights(kernelHeight * kernelWidth * row);
        Span<float> destination = packed.Span;
        destination.Clear();
        for (int ky = 0; ky < kernelHeight; ky++)
        {
            for (int kx = 0; kx < kernelWidth; kx++)
            {
                int tap = (ky * kernelWidth) + kx;
                for (int column = 0; column < outputWidth; column++)
                {
                    int input = column - padLeft + (kx * dilation);
                    if (input >= 0 && input < inputWidth)
                    {
                        hwio.Slice(tap * channels, channels).CopyTo(destination.Slice((tap * row) + (column * channels), channels));
                    }
                }
            }
        }

        return packed;
    }

    /// <summary>The bias repeated along a flattened output row (zeros without bias), rounded up to vectors.</summary>
    /// <param name="bias">The bias, or empty.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="outputWidth">Output columns.</param>
    /// <param name="lanes">Floats per vector.</param>
    /// <returns>The expanded bias.</returns>
    public static PackedWeights BiasRow(ReadOnlySpan<float> bias, int channels, int outputWidth, int lanes)
    {
        int row = (outputWidth * channels + lanes - 1) / lanes * lanes;
        var packed = new PackedWeights(row);
        Span<float> destination = packed.Span;
        destination.Clear();
        for (int column = 0; column < outputWidth && !bias.IsEmpty; column++)
        {
            bias.CopyTo(destination.Slice(column * channels, channels));
        }

        return packed;
    }

    /// <summary>The bias rounded up to whole vectors per group block as <see cref="Convolution"/> lays blocks out (zeros without bias).</summary>
    /// <param name="bias">The bias, or empty.</param>
    /// <param name="outputChannels">All output channels.</param>
    /// <param name="groups">The group count.</param>
    /// <param name="blockChannels">Output channels per full block.</param>
    /// <returns>One full block's room per block: bias of block <c>b</c> of group <c>g</c> at <c>(g * blocks + b) * blockChannels</c>.</returns>
    public static PackedWeights Bias(ReadOnlySpan<float> bias, int outputChannels, int groups, int blockChannels)
    {
        int perGroup = outputChannels / groups;
        int blocks = (perGroup + blockChannels - 1) / blockChannels;
        var packed = new PackedWeights(groups * blocks * blockChannels);
        Span<float> destination = packed.Span;
        destination.Clear();
        for (int group = 0; group < groups && !bias.IsEmpty; group++)
        {
            for (int block = 0; block < blocks; block++)
            {
                int first = (group * perGroup) + (block * blockChannels);
                int width = Math.Min(blockChannels, perGroup - (block * blockChannels));
                bias.Slice(first, width).CopyTo(destination.Slice(((group * blocks) + block) * blockChannels, width));
            }
        }

        return packed;
    }

    private static int BlockStride(int perGroup, int block, int blockChannels, int lanes)
    {
        int width = Math.Min(blockChannels, perGroup - (block * blockChannels));
        return (width + lanes - 1) / lanes * lanes;
    }
}

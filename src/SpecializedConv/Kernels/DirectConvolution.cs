using System;
using SpecializedConv.Geometry;
using SpecializedConv.Simd;

namespace SpecializedConv.Kernels;

/// <summary>
/// The fallback's direct convolution for any spec whose groups read more than one input channel (1x1 included):
/// weights packed once into blocks of output channels, output pixels grouped by the kernel taps they read, and
/// every group of 6 pixels x one block run through <see cref="DirectTile{TVec, TWidth}"/>.
/// </summary>
/// <remarks>
/// Packed layout, per group and block of up to <c>MaxVectors x lanes</c> output channels:
/// <c>[KernelHeight][KernelWidth][InputChannels / Groups][vectors x lanes]</c>, channels past the group's end zero.
/// A border pixel reads a sub-rectangle of taps, so it starts at a later tap and skips rows and columns; the
/// interior reads them all. With groups 1 and dilation 1 along the width, a kernel row's columns and channels are
/// one contiguous run of input and of weights, and the kernel walks them as one loop.
/// </remarks>
internal sealed unsafe class DirectConvolution
{
    private readonly ConvShape _shape;
    private readonly ConvAxis _height, _width;
    private readonly TapRun[] _rowRuns, _columnRuns;
    private readonly VectorPath _path;
    private readonly int _lanes, _blockChannels, _blocksPerGroup;
    private readonly int _inputChannelsPerGroup, _outputChannelsPerGroup;
    private readonly AlignedBuffer _weights, _bias;
    private readonly int[] _blockWeightOffsets;
    private readonly bool _pointwise, _blocksOuter;

    public DirectConvolution(ConvShape shape, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, VectorPath path)
    {
        _shape = shape;
        _height = shape.Height;
        _width = shape.Width;
        _rowRuns = _height.TapRuns().ToArray();
        _columnRuns = _width.TapRuns().ToArray();
        _path = path;
        _lanes = VectorPaths.Lanes(path);
        _inputChannelsPerGroup = shape.InputChannels / shape.Groups;
        _outputChannelsPerGroup = shape.OutputChannels / shape.Groups;
        _blockChannels = DirectTile.MaxVectors(VectorPaths.Registers(path)) * _lanes;
        _blocksPerGroup = (_outputChannelsPerGroup + _blockChannels - 1) / _blockChannels;
        _pointwise = shape.KernelHeight == 1 && shape.KernelWidth == 1 && shape.StrideHeight == 1 && shape.StrideWidth == 1
            && shape.Groups == 1 && _height.PadBegin + _height.PadEnd + _width.PadBegin + _width.PadEnd == 0;

        // Pack: each block's channels contiguous per (tap, input channel), padded to whole vectors.
        int taps = shape.KernelHeight * shape.KernelWidth;
        int blocks = shape.Groups * _blocksPerGroup;
        _blockWeightOffsets = new int[blocks + 1];
        for (int block = 0; block < blocks; block++)
        {
            _blockWeightOffsets[block + 1] = _blockWeightOffsets[block] + (taps * _inputChannelsPerGroup * BlockStride(block % _blocksPerGroup));
        }

        _weights = new AlignedBuffer(_blockWeightOffsets[blocks]);
        _bias = new AlignedBuffer(blocks * _blockChannels);
        Span<float> packed = _weights.Span, packedBias = _bias.Span;
        packed.Clear();
        packedBias.Clear();
        for (int group = 0; group < shape.Groups; group++)
        {
            for (int blockInGroup = 0; blockInGroup < _blocksPerGroup; blockInGroup++)
            {
                int block = (group * _blocksPerGroup) + blockInGroup;
                int firstChannel = (group * _outputChannelsPerGroup) + (blockInGroup * _blockChannels);
                int width = BlockWidth(blockInGroup), stride = BlockStride(blockInGroup);
                Span<float> destination = packed[_blockWeightOffsets[block]..];
                for (int k = 0; k < taps * _inputChannelsPerGroup; k++)
                {
                    weights.Slice((k * shape.OutputChannels) + firstChannel, width).CopyTo(destination.Slice(k * stride, width));
                }

                if (!bias.IsEmpty)
                {
                    bias.Slice(firstChannel, width).CopyTo(packedBias.Slice(block * _blockChannels, width));
                }
            }
        }

        // Keep the smaller operand in cache: weights that fit in half of a 1 MiB L2 stay there while the pixels
        // stream through; larger weights stream once per block while the pixels stay.
        _blocksOuter = (long)taps * _inputChannelsPerGroup * _outputChannelsPerGroup * sizeof(float) > 512 * 1024;
    }

    public void Forward(float* input, float* output, int images)
    {
        var action = new ForwardImages(this, input, output, images);
        VectorPaths.Run(_path, ref action);
    }

    /// <summary>A 1x1 layer (stride 1, no padding, one group) over <paramref name="pixels"/> consecutive pixels.</summary>
    public void ForwardPixels(float* input, float* output, int pixels)
    {
        if (!_pointwise)
        {
            throw new InvalidOperationException("ForwardPixels needs a 1x1 layer with stride 1, no padding and one group.");
        }

        var action = new ForwardPixelsAction(this, input, output, pixels);
        VectorPaths.Run(_path, ref action);
    }

    /// <summary>Output channels of a block: full blocks, then what remains of the group.</summary>
    private int BlockWidth(int blockInGroup) => Math.Min(_blockChannels, _outputChannelsPerGroup - (blockInGroup * _blockChannels));

    /// <summary>Floats per input channel in a block's packed weights: its width rounded up to whole vectors.</summary>
    private int BlockStride(int blockInGroup) => (BlockWidth(blockInGroup) + _lanes - 1) / _lanes * _lanes;

    private void Forward<TVec, TWidth>(float* input, float* output, int images)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        if (_pointwise)
        {
            // 1x1, stride 1, no padding: a matrix product over every pixel of the batch, tiles crossing rows and images.
            ForwardPixels<TVec, TWidth>(input, output, images * _height.Output * _width.Output);
            return;
        }

        DirectTileJob job = NewJob();

        int inputLength = _shape.InputHeight * _shape.InputWidth * _shape.InputChannels;
        int outputLength = _height.Output * _width.Output * _shape.OutputChannels;
        for (int image = 0; image < images; image++)
        {
            float* x = input + ((long)image * inputLength);
            float* y = output + ((long)image * outputLength);
            for (int group = 0; group < _shape.Groups; group++)
            {
                if (_blocksOuter)
                {
                    for (int block = 0; block < _blocksPerGroup; block++)
                    {
                        RunClasses<TVec, TWidth>(ref job, x, y, group, block, block + 1);
                    }
                }
                else
                {
                    RunClasses<TVec, TWidth>(ref job, x, y, group, 0, _blocksPerGroup);
                }
            }
        }
    }

    private void ForwardPixels<TVec, TWidth>(float* input, float* output, int pixels)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        DirectTileJob job = NewJob();
        int tap = SetTaps(ref job, new TapRun(0, 1, 0, 1), new TapRun(0, 1, 0, 1));
        RunPixels<TVec, TWidth>(ref job, input, output, 0, pixels, _shape.InputChannels, tap, 0, 0, _blocksPerGroup);
    }

    private DirectTileJob NewJob()
    {
        var job = default(DirectTileJob);
        ActivationOps.ClampParameters(_shape.Activation, _shape.ActivationAlpha, out job.ClampHigh, out job.ClampNegativeSlope);
        job.Clamp = ActivationOps.IsClamp(_shape.Activation);
        return job;
    }

    /// <summary>Runs every pixel of one image and group, class by class (pixels that read the same taps).</summary>
    private void RunClasses<TVec, TWidth>(ref DirectTileJob job, float* x, float* y, int group, int firstBlock, int endBlock)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        foreach (TapRun rows in _rowRuns)
        {
            foreach (TapRun columns in _columnRuns)
            {
                int tap = SetTaps(ref job, rows, columns);
                float* origin = x + ((long)((rows.FirstTap * _height.Dilation) - _height.PadBegin) * _shape.InputWidth * _shape.InputChannels)
                    + ((long)((columns.FirstTap * _width.Dilation) - _width.PadBegin) * _shape.InputChannels) + (group * _inputChannelsPerGroup);
                for (int row = rows.Begin; row < rows.End; row++)
                {
                    float* rowInput = origin + ((long)row * _height.Stride * _shape.InputWidth * _shape.InputChannels);
                    float* rowOutput = y + ((long)row * _width.Output * _shape.OutputChannels) + (group * _outputChannelsPerGroup);
                    RunPixels<TVec, TWidth>(ref job, rowInput, rowOutput, columns.Begin, columns.End, (long)_width.Stride * _shape.InputChannels, tap, group, firstBlock, endBlock);
                }
            }
        }
    }

    /// <summary>
    /// Sets the job's tap window for pixels that read kernel rows and columns of <paramref name="rows"/> x
    /// <paramref name="columns"/>; returns the index of the window's first weight (tap x input channels).
    /// </summary>
    private int SetTaps(ref DirectTileJob job, TapRun rows, TapRun columns)
    {
        int validColumns = columns.EndTap - columns.FirstTap;
        job.Rows = rows.EndTap - rows.FirstTap;
        job.InputRowStep = (nint)_height.Dilation * _shape.InputWidth * _shape.InputChannels;
        job.InputSegmentStep = (nint)_width.Dilation * _shape.InputChannels;
        bool contiguous = _width.Dilation == 1 && _shape.Groups == 1;
        job.Segments = contiguous ? Math.Min(validColumns, 1) : validColumns;
        job.SegmentLength = contiguous ? validColumns * _inputChannelsPerGroup : _inputChannelsPerGroup;
        return ((rows.FirstTap * _shape.KernelWidth) + columns.FirstTap) * _inputChannelsPerGroup;
    }

    /// <summary>
    /// Runs output pixels <c>[begin, end)</c> of a line whose pixel <c>p</c> reads from <c>input + p * inputStep</c>
    /// and writes to <c>output + p * OutputChannels</c>, in tiles of 6, for blocks <c>[firstBlock, endBlock)</c> of
    /// <paramref name="group"/>, starting at packed weight <paramref name="firstWeight"/> (per block stride).
    /// </summary>
    private void RunPixels<TVec, TWidth>(ref DirectTileJob job, float* input, float* output, int begin, int end, long inputStep, int firstWeight, int group, int firstBlock, int endBlock)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        for (int first = begin; first < end; first += DirectTile.Pixels)
        {
            int count = Math.Min(DirectTile.Pixels, end - first);
            job.PixelCount = count;
            for (int r = 0; r < DirectTile.Pixels; r++)
            {
                // Missing pixels repeat the first one: computed, never stored.
                int pixel = first + (r < count ? r : 0);
                job.Input[r] = (long)(input + (pixel * inputStep));
            }

            for (int blockInGroup = firstBlock; blockInGroup < endBlock; blockInGroup++)
            {
                int block = (group * _blocksPerGroup) + blockInGroup;
                int stride = BlockStride(blockInGroup), width = BlockWidth(blockInGroup);
                job.Weights = _weights.Pointer + _blockWeightOffsets[block] + ((long)firstWeight * stride);
                job.WeightSegmentStep = (nint)_inputChannelsPerGroup * stride;
                job.WeightRowStep = (nint)_shape.KernelWidth * _inputChannelsPerGroup * stride;
                job.Bias = _bias.Pointer + ((long)block * _blockChannels);
                job.TailLanes = width - ((stride / _lanes) - 1) * _lanes;
                for (int r = 0; r < count; r++)
                {
                    job.Output[r] = (long)(output + ((long)(first + r) * _shape.OutputChannels) + (blockInGroup * _blockChannels));
                }

                switch (stride / _lanes)
                {
                    case 1:
                        DirectTile<TVec, TWidth>.Run<One>(ref job);
                        break;
                    case 2:
                        DirectTile<TVec, TWidth>.Run<Two>(ref job);
                        break;
                    case 3:
                        DirectTile<TVec, TWidth>.Run<Three>(ref job);
                        break;
                    default:
                        DirectTile<TVec, TWidth>.Run<Four>(ref job);
                        break;
                }

                if (ActivationOps.NeedsPass(_shape.Activation))
                {
                    for (int r = 0; r < count; r++)
                    {
                        ActivationOps.Apply<TVec, TWidth>((float*)job.Output[r], width, _shape.Activation, _shape.ActivationAlpha);
                    }
                }
            }
        }
    }

    private readonly struct ForwardImages(DirectConvolution convolution, float* input, float* output, int images) : IWidthAction
    {
        public void Run<TVec, TWidth>()
            where TVec : struct
            where TWidth : struct, IVectorWidth<TVec> => convolution.Forward<TVec, TWidth>(input, output, images);
    }

    private readonly struct ForwardPixelsAction(DirectConvolution convolution, float* input, float* output, int pixels) : IWidthAction
    {
        public void Run<TVec, TWidth>()
            where TVec : struct
            where TWidth : struct, IVectorWidth<TVec> => convolution.ForwardPixels<TVec, TWidth>(input, output, pixels);
    }
}

using System;
using SpecializedConv.Geometry;
using SpecializedConv.Simd;

namespace SpecializedConv.Kernels;

/// <summary>
/// The fallback's depthwise convolution (<c>Groups == InputChannels</c>, any depth multiplier): weights packed once
/// as <c>[tap][output channels rounded up to whole vectors]</c>, each output row cut into runs of pixels that read
/// the same taps, each run one call of <see cref="DepthwiseTile{TVec, TWidth}"/>.
/// </summary>
internal sealed unsafe class DepthwiseConvolution
{
    private readonly ConvShape _shape;
    private readonly ConvAxis _height, _width;
    private readonly TapRun[] _rowRuns, _columnRuns;
    private readonly VectorPath _path;
    private readonly int _lanes, _vectors, _paddedChannels;
    private readonly AlignedBuffer _weights, _bias;
    private readonly int[] _inputChannel, _inputLanes;
    private readonly AlignedBuffer? _spread;

    public DepthwiseConvolution(ConvShape shape, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, VectorPath path)
    {
        _shape = shape;
        _height = shape.Height;
        _width = shape.Width;
        _rowRuns = _height.TapRuns().ToArray();
        _columnRuns = _width.TapRuns().ToArray();
        _path = path;
        _lanes = VectorPaths.Lanes(path);
        int outputChannels = shape.OutputChannels, multiplier = outputChannels / shape.InputChannels;
        _vectors = (outputChannels + _lanes - 1) / _lanes;
        _paddedChannels = _vectors * _lanes;

        // HWIO [KH, KW, 1, C*M] is already tap-major with the output channels contiguous: pad each tap to vectors.
        int taps = shape.KernelHeight * shape.KernelWidth;
        _weights = new AlignedBuffer(taps * _paddedChannels);
        _weights.Span.Clear();
        for (int tap = 0; tap < taps; tap++)
        {
            weights.Slice(tap * outputChannels, outputChannels).CopyTo(_weights.Span.Slice(tap * _paddedChannels));
        }

        _bias = new AlignedBuffer(_paddedChannels);
        _bias.Span.Clear();
        bias.CopyTo(_bias.Span);

        // Output lane o reads input channel o / M: load from the vector's first input channel, then spread.
        _inputChannel = new int[_vectors];
        _inputLanes = new int[_vectors];
        if (multiplier > 1)
        {
            _spread = new AlignedBuffer(_paddedChannels);
        }

        for (int vector = 0; vector < _vectors; vector++)
        {
            int firstOutput = vector * _lanes, firstInput = firstOutput / multiplier;
            _inputChannel[vector] = firstInput;
            _inputLanes[vector] = Math.Min(_lanes, shape.InputChannels - firstInput);
            for (int lane = 0; _spread is not null && lane < _lanes; lane++)
            {
                int source = Math.Min((firstOutput + lane) / multiplier, shape.InputChannels - 1) - firstInput;
                _spread.Span[firstOutput + lane] = BitConverter.Int32BitsToSingle(source);
            }
        }
    }

    public void Forward(float* input, float* output, int images)
    {
        var action = new ForwardImages(this, input, output, images);
        VectorPaths.Run(_path, ref action);
    }

    /// <summary>Output rows <c>[rowBegin, rowEnd)</c> of one image into <paramref name="rows"/> (the first of them at its start).</summary>
    public void ForwardRows(float* image, float* rows, int rowBegin, int rowEnd)
    {
        var action = new ForwardRowsAction(this, image, rows, rowBegin, rowEnd);
        VectorPaths.Run(_path, ref action);
    }

    private void Forward<TVec, TWidth>(float* input, float* output, int images)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        long inputLength = (long)_shape.InputHeight * _shape.InputWidth * _shape.InputChannels;
        long outputLength = (long)_height.Output * _width.Output * _shape.OutputChannels;
        for (int image = 0; image < images; image++)
        {
            ForwardRows<TVec, TWidth>(input + (image * inputLength), output + (image * outputLength), 0, _height.Output);
        }
    }

    private void ForwardRows<TVec, TWidth>(float* x, float* y, int rowBegin, int rowEnd)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        int inputRow = _shape.InputWidth * _shape.InputChannels, outputChannels = _shape.OutputChannels;
        bool clamp = ActivationOps.IsClamp(_shape.Activation), pass = ActivationOps.NeedsPass(_shape.Activation);
        fixed (int* inputChannel = _inputChannel, inputLanes = _inputLanes)
        {
            var job = new DepthwiseTileJob
            {
                InputPixelStep = (nint)_width.Stride * _shape.InputChannels,
                OutputPixelStep = outputChannels,
                Bias = _bias.Pointer,
                InputRowStep = (nint)_height.Dilation * inputRow,
                InputColumnStep = (nint)_width.Dilation * _shape.InputChannels,
                WeightRowStep = (nint)_shape.KernelWidth * _paddedChannels,
                WeightColumnStep = _paddedChannels,
                Vectors = _vectors,
                TailLanes = outputChannels - ((_vectors - 1) * _lanes),
                InputChannel = inputChannel,
                InputLanes = inputLanes,
                Spread = _spread is null ? null : _spread.Pointer,
                Clamp = clamp,
            };
            ActivationOps.ClampParameters(_shape.Activation, _shape.ActivationAlpha, out job.ClampHigh, out job.ClampNegativeSlope);

            foreach (TapRun rows in _rowRuns)
            {
                job.Rows = rows.EndTap - rows.FirstTap;
                for (int row = Math.Max(rows.Begin, rowBegin); row < Math.Min(rows.End, rowEnd); row++)
                {
                    int firstInputRow = _height.WindowStart(row) + (rows.FirstTap * _height.Dilation);
                    foreach (TapRun columns in _columnRuns)
                    {
                        int firstInputColumn = _width.WindowStart(columns.Begin) + (columns.FirstTap * _width.Dilation);
                        job.Columns = columns.EndTap - columns.FirstTap;
                        job.Pixels = columns.Count;
                        job.Input = x + ((long)firstInputRow * inputRow) + ((long)firstInputColumn * _shape.InputChannels);
                        job.Output = y + ((((long)(row - rowBegin) * _width.Output) + columns.Begin) * outputChannels);
                        job.Weights = _weights.Pointer + ((((long)rows.FirstTap * _shape.KernelWidth) + columns.FirstTap) * _paddedChannels);
                        DepthwiseTile<TVec, TWidth>.Run(ref job);
                        if (pass)
                        {
                            ActivationOps.Apply<TVec, TWidth>(job.Output, columns.Count * outputChannels, _shape.Activation, _shape.ActivationAlpha);
                        }
                    }
                }
            }
        }
    }

    private readonly struct ForwardImages(DepthwiseConvolution convolution, float* input, float* output, int images) : IWidthAction
    {
        public void Run<TVec, TWidth>()
            where TVec : struct
            where TWidth : struct, IVectorWidth<TVec> => convolution.Forward<TVec, TWidth>(input, output, images);
    }

    private readonly struct ForwardRowsAction(DepthwiseConvolution convolution, float* image, float* rows, int rowBegin, int rowEnd) : IWidthAction
    {
        public void Run<TVec, TWidth>()
            where TVec : struct
            where TWidth : struct, IVectorWidth<TVec> => convolution.ForwardRows<TVec, TWidth>(image, rows, rowBegin, rowEnd);
    }
}

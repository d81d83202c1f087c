using System;
using SpecializedConv.Geometry;
using SpecializedConv.Kernels;
using SpecializedConv.Runtime;
using SpecializedConv.Simd;

namespace SpecializedConv;

/// <summary>
/// The runtime Keras <c>SeparableConv2D</c>: a depthwise convolution (no bias, no activation) then a pointwise 1x1
/// convolution with the bias and activation. The steps are fused by bands of rows: a few depthwise output rows are
/// computed into a small per-thread buffer (<see cref="Runtime.SeparableBand"/>) that stays in cache while the pointwise
/// step consumes them.
/// </summary>
/// <remarks>
/// Immutable after construction and safe to call from many threads at once; <see cref="Forward"/> allocates nothing.
/// Under the JIT the constructor runs the layer twice on zeros, so that the first <see cref="Forward"/> runs at full speed.
/// </remarks>
public sealed unsafe class SeparableConvLayer : IConvLayer
{
    // A band of depthwise output of about 64 KiB stays in L2 between the two steps.
    private const int BandFloats = 16 * 1024;

    private readonly DepthwiseConvolution _depthwise;
    private readonly DirectConvolution _pointwise;
    private readonly int _bandRows, _middleRowLength, _height, _width, _outputRowLength;

    /// <summary>Builds the layer from its two steps' specs and Keras-layout weights.</summary>
    /// <param name="depthwiseSpec">The depthwise step: <c>Groups == InputChannels</c>, <c>UseBias = false</c>, no activation.</param>
    /// <param name="pointwiseSpec">The pointwise step: 1x1, stride 1, no padding, one group, reading the depthwise output.</param>
    /// <param name="depthwiseWeights">Keras <c>[KernelHeight, KernelWidth, Channels, DepthMultiplier]</c>.</param>
    /// <param name="pointwiseWeights">Keras <c>[1, 1, Channels x DepthMultiplier, OutputChannels]</c>.</param>
    /// <param name="bias">The pointwise step's bias: <c>OutputChannels</c> floats, or empty without bias.</param>
    /// <exception cref="ArgumentNullException">A spec is null.</exception>
    /// <exception cref="ArgumentException">A spec is invalid, the two do not chain, or a length does not match.</exception>
    public SeparableConvLayer(ConvSpec depthwiseSpec, ConvSpec pointwiseSpec, ReadOnlySpan<float> depthwiseWeights, ReadOnlySpan<float> pointwiseWeights, ReadOnlySpan<float> bias = default)
    {
        ArgumentNullException.ThrowIfNull(depthwiseSpec);
        ArgumentNullException.ThrowIfNull(pointwiseSpec);
        ConvShape depthwise = depthwiseSpec.Checked(), pointwise = pointwiseSpec.Checked();
        if (!depthwiseSpec.IsDepthwise || depthwiseSpec.UseBias || depthwiseSpec.Activation != Activation.None)
        {
            throw new ArgumentException(
                $"The depthwise step must have Groups == InputChannels, UseBias = false and no activation (the bias and activation belong to the pointwise step), but is {depthwiseSpec}.",
                nameof(depthwiseSpec));
        }

        if (pointwiseSpec.KernelHeight != 1 || pointwiseSpec.KernelWidth != 1 || pointwiseSpec.StrideHeight != 1 || pointwiseSpec.StrideWidth != 1
            || pointwiseSpec.Groups != 1 || pointwiseSpec.ResolvedPadTop + pointwiseSpec.ResolvedPadBottom + pointwiseSpec.ResolvedPadLeft + pointwiseSpec.ResolvedPadRight != 0
            || pointwiseSpec.InputHeight != depthwiseSpec.OutputHeight || pointwiseSpec.InputWidth != depthwiseSpec.OutputWidth
            || pointwiseSpec.InputChannels != depthwiseSpec.OutputChannels)
        {
            throw new ArgumentException(
                $"The pointwise step must be 1x1, stride 1, unpadded, one group, over the depthwise output " +
                $"({ConvGeometry.Text(depthwiseSpec.OutputHeight)}x{ConvGeometry.Text(depthwiseSpec.OutputWidth)}x{ConvGeometry.Text(depthwiseSpec.OutputChannels)}), but is {pointwiseSpec}.",
                nameof(pointwiseSpec));
        }

        LayerChecks.Weights(depthwiseWeights, depthwiseSpec.WeightLength, LayerChecks.HwioLayout(depthwiseSpec), nameof(depthwiseWeights));
        LayerChecks.Weights(pointwiseWeights, pointwiseSpec.WeightLength, LayerChecks.HwioLayout(pointwiseSpec), nameof(pointwiseWeights));
        LayerChecks.Bias(bias, pointwiseSpec.UseBias, pointwiseSpec.OutputChannels, nameof(bias));

        DepthwiseSpec = depthwiseSpec;
        PointwiseSpec = pointwiseSpec;
        InputLength = depthwiseSpec.InputLength;
        OutputLength = pointwiseSpec.OutputLength;
        VectorPath path = VectorPaths.Best;
        _depthwise = new DepthwiseConvolution(depthwise, depthwiseWeights, default, path);
        _pointwise = new DirectConvolution(pointwise, pointwiseWeights, bias, path);
        _middleRowLength = depthwiseSpec.OutputWidth * depthwiseSpec.OutputChannels;
        _height = depthwiseSpec.OutputHeight;
        _width = depthwiseSpec.OutputWidth;
        _outputRowLength = depthwiseSpec.OutputWidth * pointwiseSpec.OutputChannels;
        _bandRows = Math.Clamp(BandFloats / _middleRowLength, 1, depthwiseSpec.OutputHeight);
        LayerWarmUp.Run(this);
    }

    /// <summary>The depthwise step.</summary>
    public ConvSpec DepthwiseSpec { get; }

    /// <summary>The pointwise step, with the layer's bias and activation.</summary>
    public ConvSpec PointwiseSpec { get; }

    /// <inheritdoc/>
    public int InputLength { get; }

    /// <inheritdoc/>
    public int OutputLength { get; }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        int images = LayerChecks.Images(input, output, InputLength, OutputLength);
        fixed (float* x = input, y = output, middle = &SeparableBand.Area(_bandRows * _middleRowLength))
        {
            for (int image = 0; image < images; image++)
            {
                float* imageInput = x + ((long)image * InputLength), imageOutput = y + ((long)image * OutputLength);
                for (int row = 0; row < _height; row += _bandRows)
                {
                    int rows = Math.Min(_bandRows, _height - row);
                    _depthwise.ForwardRows(imageInput, middle, row, row + rows);
                    _pointwise.ForwardPixels(middle, imageOutput + ((long)row * _outputRowLength), rows * _width);
                }
            }
        }
    }
}

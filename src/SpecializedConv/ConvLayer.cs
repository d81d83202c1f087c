using System;
using SpecializedConv.Geometry;
using SpecializedConv.Kernels;
using SpecializedConv.Runtime;
using SpecializedConv.Simd;

namespace SpecializedConv;

/// <summary>
/// The runtime convolution: any valid <see cref="ConvSpec"/>, known only at run time. It computes what a generated
/// layer computes, with SIMD kernels chosen for the spec (direct, 1x1, depthwise) and weights packed once here.
/// </summary>
/// <remarks>
/// Immutable after construction and safe to call from many threads at once; <see cref="Forward"/> allocates nothing.
/// Under the JIT the constructor runs the layer twice on zeros, so that the first <see cref="Forward"/> runs at full speed.
/// </remarks>
public sealed unsafe class ConvLayer : IConvLayer
{
    private readonly DirectConvolution? _direct;
    private readonly DepthwiseConvolution? _depthwise;

    /// <summary>Builds a layer for <paramref name="spec"/>, packing the weights for this machine's widest SIMD path.</summary>
    /// <param name="spec">The convolution; validated here.</param>
    /// <param name="weights">Keras layout HWIO <c>[KernelHeight, KernelWidth, InputChannels / Groups, OutputChannels]</c> (see <see cref="WeightLayout"/> for PyTorch's OIHW).</param>
    /// <param name="bias"><c>OutputChannels</c> floats, or empty when <see cref="ConvSpec.UseBias"/> is false.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    /// <exception cref="ArgumentException">The spec is invalid, or a length does not match it.</exception>
    public ConvLayer(ConvSpec spec, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias = default)
        : this(spec, weights, bias, VectorPaths.Best)
    {
    }

    /// <summary>Builds the layer for a given SIMD path (the tests run every path in one process).</summary>
    internal ConvLayer(ConvSpec spec, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, VectorPath path)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ConvShape shape = spec.Checked();
        LayerChecks.Weights(weights, spec.WeightLength, LayerChecks.HwioLayout(spec), nameof(weights));
        LayerChecks.Bias(bias, spec.UseBias, spec.OutputChannels, nameof(bias));

        Spec = spec;
        InputLength = spec.InputLength;
        OutputLength = spec.OutputLength;
        if (spec.IsDepthwise)
        {
            _depthwise = new DepthwiseConvolution(shape, weights, bias, path);
        }
        else
        {
            _direct = new DirectConvolution(shape, weights, bias, path);
        }

        LayerWarmUp.Run(this);
    }

    /// <summary>The convolution this layer computes.</summary>
    public ConvSpec Spec { get; }

    /// <inheritdoc/>
    public int InputLength { get; }

    /// <inheritdoc/>
    public int OutputLength { get; }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        int images = LayerChecks.Images(input, output, InputLength, OutputLength);
        fixed (float* x = input, y = output)
        {
            Run(x, y, images);
        }
    }

    /// <summary>Runs <paramref name="images"/> images already checked by the caller.</summary>
    internal void Run(float* input, float* output, int images)
    {
        if (_depthwise is not null)
        {
            _depthwise.Forward(input, output, images);
        }
        else
        {
            _direct!.Forward(input, output, images);
        }
    }
}

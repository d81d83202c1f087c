using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using SpecializedConv.Tests.Oracles;

namespace SpecializedConv.IntegrationTests;

/// <summary>A generated layer under test: its name, how to build it from weights, and the runtime layer that should agree.</summary>
public sealed class GeneratedCase
{
    private GeneratedCase(string name, int weightLength, int secondWeightLength, int biasLength, Func<float[], float[], float[], IConvLayer> create, Func<float[], float[], float[], IConvLayer> runtime, Func<float[], int, float[], float[], float[], (float[] Output, double[] Magnitude)> reference, Activation activation, float alpha)
    {
        Name = name;
        WeightLength = weightLength;
        SecondWeightLength = secondWeightLength;
        BiasLength = biasLength;
        Create = create;
        Runtime = runtime;
        Reference = reference;
        Activation = activation;
        Alpha = alpha;
    }

    public string Name { get; }
    public int WeightLength { get; }

    /// <summary>The pointwise weights of a separable layer, else 0.</summary>
    public int SecondWeightLength { get; }
    public int BiasLength { get; }
    public Func<float[], float[], float[], IConvLayer> Create { get; }
    public Func<float[], float[], float[], IConvLayer> Runtime { get; }
    public Func<float[], int, float[], float[], float[], (float[] Output, double[] Magnitude)> Reference { get; }
    public Activation Activation { get; }
    public float Alpha { get; }

    public override string ToString() => Name;

    /// <summary>A [Conv2D] or [DepthwiseConv2D] class: its spec is read from an instance made without a constructor.</summary>
    public static GeneratedCase Layer<T>(Func<float[], float[], T> create)
        where T : class, IConvLayer
    {
        ConvSpec spec = SpecOf<T>(layer => ((dynamic)layer).Spec);
        return new GeneratedCase(typeof(T).Name, spec.WeightLength, 0, spec.BiasLength,
            (w, _, b) => create(w, b), (w, _, b) => new ConvLayer(spec, w, b),
            (x, n, w, _, b) => ReferenceConvolution.Run(spec, x, n, w, b), spec.Activation, spec.ActivationAlpha);
    }

    /// <summary>A [SeparableConv2D] class: the reference runs its two steps.</summary>
    public static GeneratedCase Separable<T>(Func<float[], float[], float[], T> create)
        where T : class, IConvLayer
    {
        ConvSpec depthwise = SpecOf<T>(layer => ((dynamic)layer).DepthwiseSpec), pointwise = SpecOf<T>(layer => ((dynamic)layer).PointwiseSpec);
        return new GeneratedCase(typeof(T).Name, depthwise.WeightLength, pointwise.WeightLength, pointwise.BiasLength,
            (dw, pw, b) => create(dw, pw, b), (dw, pw, b) => new SeparableConvLayer(depthwise, pointwise, dw, pw, b),
            (x, n, dw, pw, b) =>
            {
                var (middle, middleMagnitude) = ReferenceConvolution.Run(depthwise, x, n, dw, []);
                var (output, magnitude) = ReferenceConvolution.Run(pointwise, middle, n, pw, b);
                for (int i = 0; i < magnitude.Length; i++)
                {
                    magnitude[i] *= 3; // the intermediate's rounding travels through the pointwise sum
                }

                _ = middleMagnitude;
                return (output, magnitude);
            }, pointwise.Activation, pointwise.ActivationAlpha);
    }

    private static ConvSpec SpecOf<T>(Func<object, ConvSpec> read) => read(RuntimeHelpers.GetUninitializedObject(typeof(T)));
}

/// <summary>Every generated layer of this project.</summary>
public static class GeneratedLayers
{
    public static IReadOnlyList<GeneratedCase> All { get; } =
    [
        GeneratedCase.Layer((w, b) => new SeedStem(w, b)),
        GeneratedCase.Layer((w, b) => new SeedDilated(w, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeedSeparable(dw, pw, b)),
        GeneratedCase.Layer((w, b) => new SeedDepthwise(w, b)),
        GeneratedCase.Layer((w, b) => new SeedPointwise(w, b)),
        GeneratedCase.Layer((w, b) => new SameOddStride2(w, b)),
        GeneratedCase.Layer((w, b) => new ImageBands(w, b)),
        GeneratedCase.Layer((w, b) => new ImageBandsWholeRows(w, b)),
        GeneratedCase.Layer((w, b) => new SameOddStride3(w, b)),
        GeneratedCase.Layer((w, b) => new SameEvenKernel(w, b)),
        GeneratedCase.Layer((w, b) => new AsymmetricPads(w, b)),
        GeneratedCase.Layer((w, b) => new Kernel1x7(w, b)),
        GeneratedCase.Layer((w, b) => new Kernel7x1(w, b)),
        GeneratedCase.Layer((w, b) => new Kernel5x3PerAxisStride(w, b)),
        GeneratedCase.Layer((w, b) => new PerAxisDilation(w, b)),
        GeneratedCase.Layer((w, b) => new StrideAndDilation(w, b)),
        GeneratedCase.Layer((w, b) => new StrideOverKernel(w, b)),
        GeneratedCase.Layer((w, b) => new OddChannelsLeaky(w, b)),
        GeneratedCase.Layer((w, b) => new BlocksWithTail(w, b)),
        GeneratedCase.Layer((w, b) => new Grouped(w, b)),
        GeneratedCase.Layer((w, b) => new GroupedPointwise(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseMultiplier2(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseMultiplier3Strided(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseChannelTail(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseStride2(w, b)),
        GeneratedCase.Layer((w, b) => new Depthwise5x5Dilated(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseAsGroupedConv(w, b)),
        GeneratedCase.Layer((w, b) => new OnePixelPointwise(w, b)),
        GeneratedCase.Layer((w, b) => new OnePixelSame(w, b)),
        GeneratedCase.Layer((w, b) => new KernelAsLargeAsInput(w, b)),
        GeneratedCase.Layer((w, b) => new KernelAsLargeAsInputSame(w, b)),
        GeneratedCase.Layer((w, b) => new PointwiseSigmoid(w, b)),
        GeneratedCase.Layer((w, b) => new DirectTanh(w, b)),
        GeneratedCase.Layer((w, b) => new DirectSilu(w, b)),
        GeneratedCase.Layer((w, b) => new DirectHardSwish(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseLeaky(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseTanhNoBias(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseSigmoid(w, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeparableHardSwish(dw, pw, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeparableStaged(dw, pw, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeparableShifted(dw, pw, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeparableOneVectorWalk(dw, pw, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeparableShiftedSilu(dw, pw, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeparableRelu6Strided(dw, pw, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeparableSilu5x5(dw, pw, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeparableMultiplierDelegates(dw, pw, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeparableMultiplier2(dw, pw, b)),
        GeneratedCase.Separable((dw, pw, b) => new SeparableMultiplier4Strided(dw, pw, b)),
        GeneratedCase.Layer((w, b) => new LargeKernel9x9(w, b)),
        GeneratedCase.Layer((w, b) => new WideKernelDelegates(w, b)),
        GeneratedCase.Layer((w, b) => new WideKernelRowUnrolled(w, b)),
        GeneratedCase.Layer((w, b) => new ResNetLike(w, b)),
        GeneratedCase.Layer((w, b) => new PointwiseBlocks(w, b)),
        GeneratedCase.Layer((w, b) => new PointwiseStrided(w, b)),
        GeneratedCase.Layer((w, b) => new RowsWithoutTaps(w, b)),
        GeneratedCase.Layer((w, b) => new Stem7x7(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseFewRowsSigmoid(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseChannelInnerAsymmetric(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseChannelInnerWide(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseStaged(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseStagedStride2Sigmoid(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseStaged512(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseTwoRowTiles(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseFewChannelsWideRows(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseShifted5x5(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseShiftedValidPasses(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseShiftedOneGroup(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseShiftedStrided5x5(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseShiftedWidthStride(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseCrowdedSets(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseOneVectorWalk(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwisePassBands(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwisePassBandsSigmoid(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwisePassBandsNarrow(w, b)),
        GeneratedCase.Layer((w, b) => new RepeatedLanesMultiplier2(w, b)),
        GeneratedCase.Layer((w, b) => new RepeatedLanesMultiplier4Strided(w, b)),
        GeneratedCase.Layer((w, b) => new RepeatedLanesGrouped(w, b)),
        GeneratedCase.Layer((w, b) => new RepeatedLanesDilated(w, b)),
        GeneratedCase.Layer((w, b) => new RepeatedLanesChannelsInner(w, b)),
        GeneratedCase.Layer((w, b) => new LaneGroups4(w, b)),
        GeneratedCase.Layer((w, b) => new LaneGroups2Strided(w, b)),
        GeneratedCase.Layer((w, b) => new LaneGroupsDilated5x5(w, b)),
        GeneratedCase.Layer((w, b) => new LaneGroupsChannelsInner(w, b)),
        GeneratedCase.Layer((w, b) => new LaneGroups2TwoRows(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseRowWeights7x7(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseRowWeights7x7Strided(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseGroupsChannelTail(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseGroupsWide(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseGroupsWalkDownAlone(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseGroupsRealigned(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseGroupsRealignedValid(w, b)),
        GeneratedCase.Layer((w, b) => new DepthwiseGroups2x2(w, b)),
        GeneratedCase.Layer((w, b) => new WideInteriorAndBorder(w, b)),
        GeneratedCase.Layer((w, b) => new WideStride2SameBorder(w, b)),
        GeneratedCase.Layer((w, b) => new WideChunkedBorder(w, b)),
        GeneratedCase.Layer((w, b) => new Outer.NestedDepthwise(w, b)),
        GeneratedCase.Layer((w, b) => new RecordLayer(w, b)),
        GeneratedCase.Layer((w, b) => new ChunkedChannelsSilu(w, b)),
        GeneratedCase.Layer((w, b) => new ChunkedChannelsRelu6(w, b)),
        GeneratedCase.Layer((w, b) => new FlatRowsDilated(w, b)),
        GeneratedCase.Layer((w, b) => new FlatRowsAsymmetric5x5(w, b)),
        GeneratedCase.Layer((w, b) => new FlatRowsStrideHeightOnly(w, b)),
        GeneratedCase.Layer((w, b) => new SmallChannelsStrideTwo(w, b)),
        GeneratedCase.Layer((w, b) => new FlatRowsShorterThanAVector(w, b)),
        GeneratedCase.Layer((w, b) => new FlatRowsShorterThanAVector256(w, b)),
        GeneratedCase.Layer((w, b) => new FlatRowsShorterThanAVector128(w, b)),
    ];
}

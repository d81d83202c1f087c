using System.Collections.Generic;

namespace SpecializedConv.Benchmarks;

/// <summary>One layer of the benchmark suite (shared/bench/suite.tsv): batch 1, bias on, no activation, as the peers run it.</summary>
public sealed record SuiteLayer(string Name, ConvSpec Spec)
{
    public override string ToString() => Name;
}

/// <summary>The benchmark suite: the seed's layers, MobileNet v1 and ResNet-18 layers.</summary>
public static class Suite
{
    public static IReadOnlyList<SuiteLayer> Layers { get; } =
    [
        Conv("seed1_pad2_s2", 28, 3, 32, 3, stride: 2, pad: 2),
        Conv("seed2_dil2_same", 32, 3, 64, 3, dilation: 2, same: true),
        Depthwise("seed3_dw3x3", 64, 3),
        Conv("seed3_pw", 64, 3, 64, 1),
        Conv("mnv1_stem_s2", 224, 3, 32, 3, stride: 2, same: true),
        Depthwise("mnv1_dw112", 112, 32),
        Conv("mnv1_pw112", 112, 32, 64, 1),
        Depthwise("mnv1_dw56", 56, 128),
        Conv("mnv1_pw56", 56, 128, 128, 1),
        Depthwise("mnv1_dw14", 14, 512),
        Conv("mnv1_pw14", 14, 512, 512, 1),
        Conv("r18_stem7x7_s2", 224, 3, 64, 7, stride: 2, pad: 3),
        Conv("r18_c2_3x3", 56, 64, 64, 3, pad: 1),
        Conv("r18_c3_3x3", 28, 128, 128, 3, pad: 1),
        Conv("r18_c4_3x3", 14, 256, 256, 3, pad: 1),
        Conv("r18_c5_3x3", 7, 512, 512, 3, pad: 1),
    ];

    private static SuiteLayer Conv(string name, int size, int cin, int cout, int kernel, int stride = 1, int dilation = 1, int pad = 0, bool same = false, int groups = 1) =>
        new(name, new ConvSpec
        {
            InputHeight = size,
            InputWidth = size,
            InputChannels = cin,
            OutputChannels = cout,
            KernelHeight = kernel,
            KernelWidth = kernel,
            StrideHeight = stride,
            StrideWidth = stride,
            DilationHeight = dilation,
            DilationWidth = dilation,
            Padding = same ? Padding.Same : pad > 0 ? Padding.Explicit : Padding.Valid,
            PadTop = pad,
            PadBottom = pad,
            PadLeft = pad,
            PadRight = pad,
            Groups = groups,
        });

    private static SuiteLayer Depthwise(string name, int size, int channels) => Conv(name, size, channels, channels, 3, same: true, groups: channels);
}

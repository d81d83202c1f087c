using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

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

    /// <summary>
    /// Shapes kept out of the planner's tuning, to check that its rules hold beyond the suite: MobileNet v2 and
    /// EfficientNet depthwise layers (expanded channel counts, stride 2, 5x5), their pointwise projections, ResNet-50 and
    /// U-Net convolutions, channel counts that are not multiples of 64.
    /// </summary>
    public static IReadOnlyList<SuiteLayer> HeldOut { get; } =
    [
        Depthwise("mnv2_dw56_144", 56, 144),
        Depthwise("mnv2_dw56_144_s2", 56, 144, stride: 2),
        Depthwise("mnv2_dw14_384", 14, 384),
        Depthwise("mnv2_dw7_960", 7, 960),
        Conv("mnv2_pw56_24_144", 56, 24, 144, 1),
        Conv("mnv2_pw14_384_96", 14, 384, 96, 1),
        Conv("mnv2_pw28_192_32", 28, 192, 32, 1),
        Depthwise("effb0_dw28_240_5x5", 28, 240, kernel: 5),
        Depthwise("effb0_dw14_672_5x5_s2", 28, 672, kernel: 5, stride: 2),
        Conv("r50_c3_s2", 56, 128, 128, 3, stride: 2, pad: 1),
        Conv("r50_pw56_64_256", 56, 64, 256, 1),
        Conv("unet_c128_32", 128, 32, 32, 3, pad: 1),
        Conv("unet_c64_64", 64, 64, 64, 3, pad: 1),
        Conv("incep_c17_160_192", 17, 160, 192, 3, pad: 1),
        Conv("odd_c28_96", 28, 96, 96, 3, same: true),
        Conv("stem_5x5_s2", 128, 3, 24, 5, stride: 2, same: true),

        // Added after the depthwise pass rule was set on the shapes above, to check it on fresh ones.
        Depthwise("dw28_256", 28, 256),
        Depthwise("dw14_1024", 14, 1024),
        Depthwise("dw56_256", 56, 256),
        Depthwise("dw112_64", 112, 64),

        // Added after staging was set on dw14_1024 (pixels 4 KiB apart), to check it and its neighbours on fresh shapes.
        Depthwise("mnv1_dw7_1024", 7, 1024),
        Depthwise("xcep_dw10_2048", 10, 2048),
        Depthwise("mnv1_dw14_512_s2", 14, 512, stride: 2),

        // Added after staging was extended to pixels 2 KiB apart (on mnv1_dw14 and mnv1_dw14_512_s2).
        Depthwise("dw7_512", 7, 512),
        Depthwise("dw28_512_s2", 28, 512, stride: 2),
        Depthwise("dw20_1024_5x5", 20, 1024, kernel: 5),

        // Added after grouped strided tiles, the wide-row pass rule and even blocks were set, to check them on fresh shapes.
        Depthwise("mnv2_dw28_192_s2", 28, 192, stride: 2),
        Depthwise("mnv2_dw14_576_s2", 14, 576, stride: 2),
        Depthwise("mnv2_dw112_96_s2", 112, 96, stride: 2),
        Depthwise("dw128_96", 128, 96),
        Conv("effb0_pw14_480_80", 14, 480, 80, 1),

        // Added with no rule set on them, to probe what the shapes above lack: groups of 4 channels (ResNeXt) and of 32, a
        // depth multiplier of 2, dilation 2, a full 5x5 kernel, a 7x7 depthwise window (ConvNeXt), a 1x1 layer at stride 2
        // (ResNet-50's downsampling), channel counts of 24 and 40, a 16-channel stem, an explicitly padded strided
        // depthwise layer, 1x1 layers with 16, 240, 672 and 960 outputs.
        Conv("effb0_pw112_32_16", 112, 32, 16, 1),
        Conv("mnv2_pw7_160_960", 7, 160, 960, 1),
        Conv("effb0_pw28_40_240", 28, 40, 240, 1),
        Conv("effb0_pw14_112_672", 14, 112, 672, 1),
        Conv("r50_pw56_256_512_s2", 56, 256, 512, 1, stride: 2),
        Conv("resnext_g32_56_128", 56, 128, 128, 3, pad: 1, groups: 32),
        Conv("g4_28_128", 28, 128, 128, 3, pad: 1, groups: 4),
        Conv("dil2_28_128", 28, 128, 128, 3, dilation: 2, same: true),
        Conv("c5x5_28_64", 28, 64, 64, 5, same: true),
        Depthwise("convnext_dw7_56_96", 56, 96, kernel: 7),
        Conv("odd_c28_24_40", 28, 24, 40, 3, same: true),
        Conv("stem16_s2", 224, 3, 16, 3, stride: 2, same: true),
        Conv("dw56_128_s2_pad1", 56, 128, 128, 3, stride: 2, pad: 1, groups: 128),
        Conv("dwmult2_28_32", 28, 32, 64, 3, same: true, groups: 32),
        Conv("unet_c64_128_64", 64, 128, 64, 3, pad: 1),
        Depthwise("dw14_96", 14, 96),
    ];

    /// <summary>A suite by name: "heldout" or the default one.</summary>
    public static IReadOnlyList<SuiteLayer> Named(string? name) => name == "heldout" ? HeldOut : Layers;

    /// <summary>A layer of either suite.</summary>
    public static SuiteLayer Find(string name) => Layers.Concat(HeldOut).Single(l => l.Name == name);

    /// <summary>Writes a suite in the columns of shared/bench/suite.tsv, for peers.sh.</summary>
    public static void WriteTsv(IEnumerable<SuiteLayer> layers, TextWriter output)
    {
        output.WriteLine("name\tH\tW\tCin\tCout\tOH\tOW\tflops\tkernel\tstride\tdilation\tpadding\tgroups");
        foreach (SuiteLayer layer in layers)
        {
            ConvSpec s = layer.Spec;
            string padding = s.Padding switch { Padding.Same => "same", Padding.Valid => "valid", _ => s.PadTop.ToString(CultureInfo.InvariantCulture) };
            output.WriteLine(string.Join('\t', new object[] { layer.Name, s.InputHeight, s.InputWidth, s.InputChannels, s.OutputChannels, s.OutputHeight, s.OutputWidth, s.Flops, s.KernelHeight, s.StrideHeight, s.DilationHeight, padding, s.Groups }
                .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        }
    }

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

    private static SuiteLayer Depthwise(string name, int size, int channels, int kernel = 3, int stride = 1) =>
        Conv(name, size, channels, channels, kernel, stride: stride, same: true, groups: channels);
}

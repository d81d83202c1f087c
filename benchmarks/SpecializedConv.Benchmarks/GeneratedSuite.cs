using System;
using System.Collections.Generic;

namespace SpecializedConv.Benchmarks;

/// <summary>The suite's layers (shared/bench/suite.tsv) as generated classes: batch 1, bias on, no activation.</summary>
public static class GeneratedSuite
{
    private static readonly Dictionary<string, Func<float[], float[], IConvLayer>> Factories = new()
    {
        ["seed1_pad2_s2"] = (w, b) => new Seed1Pad2S2(w, b),
        ["seed2_dil2_same"] = (w, b) => new Seed2Dil2Same(w, b),
        ["seed3_dw3x3"] = (w, b) => new Seed3Dw3x3(w, b),
        ["seed3_pw"] = (w, b) => new Seed3Pw(w, b),
        ["mnv1_stem_s2"] = (w, b) => new Mnv1StemS2(w, b),
        ["mnv1_dw112"] = (w, b) => new Mnv1Dw112(w, b),
        ["mnv1_pw112"] = (w, b) => new Mnv1Pw112(w, b),
        ["mnv1_dw56"] = (w, b) => new Mnv1Dw56(w, b),
        ["mnv1_pw56"] = (w, b) => new Mnv1Pw56(w, b),
        ["mnv1_dw14"] = (w, b) => new Mnv1Dw14(w, b),
        ["mnv1_pw14"] = (w, b) => new Mnv1Pw14(w, b),
        ["r18_stem7x7_s2"] = (w, b) => new R18Stem7x7S2(w, b),
        ["r18_c2_3x3"] = (w, b) => new R18C2(w, b),
        ["r18_c3_3x3"] = (w, b) => new R18C3(w, b),
        ["r18_c4_3x3"] = (w, b) => new R18C4(w, b),
        ["r18_c5_3x3"] = (w, b) => new R18C5(w, b),
        ["mnv2_dw56_144"] = (w, b) => new Mnv2Dw56(w, b),
        ["mnv2_dw56_144_s2"] = (w, b) => new Mnv2Dw56S2(w, b),
        ["mnv2_dw14_384"] = (w, b) => new Mnv2Dw14(w, b),
        ["mnv2_dw7_960"] = (w, b) => new Mnv2Dw7(w, b),
        ["mnv2_pw56_24_144"] = (w, b) => new Mnv2Pw56(w, b),
        ["mnv2_pw14_384_96"] = (w, b) => new Mnv2Pw14(w, b),
        ["mnv2_pw28_192_32"] = (w, b) => new Mnv2Pw28(w, b),
        ["effb0_dw28_240_5x5"] = (w, b) => new EffB0Dw28(w, b),
        ["effb0_dw14_672_5x5_s2"] = (w, b) => new EffB0Dw14S2(w, b),
        ["r50_c3_s2"] = (w, b) => new R50C3S2(w, b),
        ["r50_pw56_64_256"] = (w, b) => new R50Pw56(w, b),
        ["unet_c128_32"] = (w, b) => new UNetC128(w, b),
        ["unet_c64_64"] = (w, b) => new UNetC64(w, b),
        ["incep_c17_160_192"] = (w, b) => new InceptionC17(w, b),
        ["odd_c28_96"] = (w, b) => new OddC28(w, b),
        ["stem_5x5_s2"] = (w, b) => new Stem5x5S2(w, b),
        ["dw28_256"] = (w, b) => new Dw28x256(w, b),
        ["dw14_1024"] = (w, b) => new Dw14x1024(w, b),
        ["dw56_256"] = (w, b) => new Dw56x256(w, b),
        ["dw112_64"] = (w, b) => new Dw112x64(w, b),
        ["mnv1_dw7_1024"] = (w, b) => new Mnv1Dw7x1024(w, b),
        ["xcep_dw10_2048"] = (w, b) => new XceptionDw10x2048(w, b),
        ["mnv1_dw14_512_s2"] = (w, b) => new Mnv1Dw14x512S2(w, b),
        ["dw7_512"] = (w, b) => new Dw7x512(w, b),
        ["dw28_512_s2"] = (w, b) => new Dw28x512S2(w, b),
        ["dw20_1024_5x5"] = (w, b) => new Dw20x1024K5(w, b),
        ["mnv2_dw28_192_s2"] = (w, b) => new Mnv2Dw28x192S2(w, b),
        ["mnv2_dw14_576_s2"] = (w, b) => new Mnv2Dw14x576S2(w, b),
        ["mnv2_dw112_96_s2"] = (w, b) => new Mnv2Dw112x96S2(w, b),
        ["dw128_96"] = (w, b) => new Dw128x96(w, b),
        ["effb0_pw14_480_80"] = (w, b) => new EffB0Pw14x480x80(w, b),
        ["effb0_pw112_32_16"] = (w, b) => new EffB0Pw112x32x16(w, b),
        ["mnv2_pw7_160_960"] = (w, b) => new Mnv2Pw7x160x960(w, b),
        ["effb0_pw28_40_240"] = (w, b) => new EffB0Pw28x40x240(w, b),
        ["effb0_pw14_112_672"] = (w, b) => new EffB0Pw14x112x672(w, b),
        ["r50_pw56_256_512_s2"] = (w, b) => new R50Pw56x256x512S2(w, b),
        ["resnext_g32_56_128"] = (w, b) => new ResNeXtG32C56(w, b),
        ["g4_28_128"] = (w, b) => new Grouped4C28(w, b),
        ["dil2_28_128"] = (w, b) => new Dilated2C28(w, b),
        ["c5x5_28_64"] = (w, b) => new Conv5x5C28(w, b),
        ["convnext_dw7_56_96"] = (w, b) => new ConvNeXtDw7x56(w, b),
        ["odd_c28_24_40"] = (w, b) => new OddC28x24x40(w, b),
        ["stem16_s2"] = (w, b) => new Stem16S2(w, b),
        ["dw56_128_s2_pad1"] = (w, b) => new Dw56x128S2Pad1(w, b),
        ["dwmult2_28_32"] = (w, b) => new DwMultiplier2C28(w, b),
        ["unet_c64_128_64"] = (w, b) => new UNetC64x128x64(w, b),
        ["dw14_96"] = (w, b) => new Dw14x96(w, b),
    };

    public static IConvLayer? Create(string name, float[] weights, float[] bias) =>
        Factories.TryGetValue(name, out var create) ? create(weights, bias) : null;
}

[Conv2D(28, 28, 3, 32, 3, Stride = 2, Pad = 2)]
public partial class Seed1Pad2S2;

[Conv2D(32, 32, 3, 64, 3, Dilation = 2, Padding = Padding.Same)]
public partial class Seed2Dil2Same;

[DepthwiseConv2D(64, 64, 3, 3, Padding = Padding.Same)]
public partial class Seed3Dw3x3;

[Conv2D(64, 64, 3, 64, 1)]
public partial class Seed3Pw;

[Conv2D(224, 224, 3, 32, 3, Stride = 2, Padding = Padding.Same)]
public partial class Mnv1StemS2;

[DepthwiseConv2D(112, 112, 32, 3, Padding = Padding.Same)]
public partial class Mnv1Dw112;

[Conv2D(112, 112, 32, 64, 1)]
public partial class Mnv1Pw112;

[DepthwiseConv2D(56, 56, 128, 3, Padding = Padding.Same)]
public partial class Mnv1Dw56;

[Conv2D(56, 56, 128, 128, 1)]
public partial class Mnv1Pw56;

[DepthwiseConv2D(14, 14, 512, 3, Padding = Padding.Same)]
public partial class Mnv1Dw14;

[Conv2D(14, 14, 512, 512, 1)]
public partial class Mnv1Pw14;

[Conv2D(224, 224, 3, 64, 7, Stride = 2, Pad = 3)]
public partial class R18Stem7x7S2;

[Conv2D(56, 56, 64, 64, 3, Pad = 1)]
public partial class R18C2;

[Conv2D(28, 28, 128, 128, 3, Pad = 1)]
public partial class R18C3;

[Conv2D(14, 14, 256, 256, 3, Pad = 1)]
public partial class R18C4;

[Conv2D(7, 7, 512, 512, 3, Pad = 1)]
public partial class R18C5;

/// <summary>The seed's third example as one fused layer: depthwise 3x3 SAME, then 1x1 to 64 channels.</summary>
[SeparableConv2D(64, 64, 3, 64, 3, Padding = Padding.Same)]
public partial class Seed3Separable;

// The held-out shapes (Suite.HeldOut).
[DepthwiseConv2D(56, 56, 144, 3, Padding = Padding.Same)]
public partial class Mnv2Dw56;

[DepthwiseConv2D(56, 56, 144, 3, Stride = 2, Padding = Padding.Same)]
public partial class Mnv2Dw56S2;

[DepthwiseConv2D(14, 14, 384, 3, Padding = Padding.Same)]
public partial class Mnv2Dw14;

[DepthwiseConv2D(7, 7, 960, 3, Padding = Padding.Same)]
public partial class Mnv2Dw7;

[Conv2D(56, 56, 24, 144, 1)]
public partial class Mnv2Pw56;

[Conv2D(14, 14, 384, 96, 1)]
public partial class Mnv2Pw14;

[Conv2D(28, 28, 192, 32, 1)]
public partial class Mnv2Pw28;

[DepthwiseConv2D(28, 28, 240, 5, Padding = Padding.Same)]
public partial class EffB0Dw28;

[DepthwiseConv2D(28, 28, 672, 5, Stride = 2, Padding = Padding.Same)]
public partial class EffB0Dw14S2;

[Conv2D(56, 56, 128, 128, 3, Stride = 2, Pad = 1)]
public partial class R50C3S2;

[Conv2D(56, 56, 64, 256, 1)]
public partial class R50Pw56;

[Conv2D(128, 128, 32, 32, 3, Pad = 1)]
public partial class UNetC128;

[Conv2D(64, 64, 64, 64, 3, Pad = 1)]
public partial class UNetC64;

[Conv2D(17, 17, 160, 192, 3, Pad = 1)]
public partial class InceptionC17;

[Conv2D(28, 28, 96, 96, 3, Padding = Padding.Same)]
public partial class OddC28;

[Conv2D(128, 128, 3, 24, 5, Stride = 2, Padding = Padding.Same)]
public partial class Stem5x5S2;

[DepthwiseConv2D(28, 28, 256, 3, Padding = Padding.Same)]
public partial class Dw28x256;

[DepthwiseConv2D(14, 14, 1024, 3, Padding = Padding.Same)]
public partial class Dw14x1024;

[DepthwiseConv2D(56, 56, 256, 3, Padding = Padding.Same)]
public partial class Dw56x256;

[DepthwiseConv2D(112, 112, 64, 3, Padding = Padding.Same)]
public partial class Dw112x64;

[DepthwiseConv2D(7, 7, 1024, 3, Padding = Padding.Same)]
public partial class Mnv1Dw7x1024;

[DepthwiseConv2D(10, 10, 2048, 3, Padding = Padding.Same)]
public partial class XceptionDw10x2048;

[DepthwiseConv2D(14, 14, 512, 3, Stride = 2, Padding = Padding.Same)]
public partial class Mnv1Dw14x512S2;

[DepthwiseConv2D(7, 7, 512, 3, Padding = Padding.Same)]
public partial class Dw7x512;

[DepthwiseConv2D(28, 28, 512, 3, Stride = 2, Padding = Padding.Same)]
public partial class Dw28x512S2;

[DepthwiseConv2D(20, 20, 1024, 5, Padding = Padding.Same)]
public partial class Dw20x1024K5;

[DepthwiseConv2D(28, 28, 192, 3, Stride = 2, Padding = Padding.Same)]
public partial class Mnv2Dw28x192S2;

[DepthwiseConv2D(14, 14, 576, 3, Stride = 2, Padding = Padding.Same)]
public partial class Mnv2Dw14x576S2;

[DepthwiseConv2D(112, 112, 96, 3, Stride = 2, Padding = Padding.Same)]
public partial class Mnv2Dw112x96S2;

[DepthwiseConv2D(128, 128, 96, 3, Padding = Padding.Same)]
public partial class Dw128x96;

[Conv2D(14, 14, 480, 80, 1)]
public partial class EffB0Pw14x480x80;

[Conv2D(112, 112, 32, 16, 1)]
public partial class EffB0Pw112x32x16;

[Conv2D(7, 7, 160, 960, 1)]
public partial class Mnv2Pw7x160x960;

[Conv2D(28, 28, 40, 240, 1)]
public partial class EffB0Pw28x40x240;

[Conv2D(14, 14, 112, 672, 1)]
public partial class EffB0Pw14x112x672;

[Conv2D(56, 56, 256, 512, 1, Stride = 2)]
public partial class R50Pw56x256x512S2;

[Conv2D(56, 56, 128, 128, 3, Pad = 1, Groups = 32)]
public partial class ResNeXtG32C56;

[Conv2D(28, 28, 128, 128, 3, Pad = 1, Groups = 4)]
public partial class Grouped4C28;

[Conv2D(28, 28, 128, 128, 3, Dilation = 2, Padding = Padding.Same)]
public partial class Dilated2C28;

[Conv2D(28, 28, 64, 64, 5, Padding = Padding.Same)]
public partial class Conv5x5C28;

[DepthwiseConv2D(56, 56, 96, 7, Padding = Padding.Same)]
public partial class ConvNeXtDw7x56;

[Conv2D(28, 28, 24, 40, 3, Padding = Padding.Same)]
public partial class OddC28x24x40;

[Conv2D(224, 224, 3, 16, 3, Stride = 2, Padding = Padding.Same)]
public partial class Stem16S2;

[DepthwiseConv2D(56, 56, 128, 3, Stride = 2, Pad = 1)]
public partial class Dw56x128S2Pad1;

[DepthwiseConv2D(28, 28, 32, 3, Padding = Padding.Same, DepthMultiplier = 2)]
public partial class DwMultiplier2C28;

[Conv2D(64, 64, 128, 64, 3, Pad = 1)]
public partial class UNetC64x128x64;

[DepthwiseConv2D(14, 14, 96, 3, Padding = Padding.Same)]
public partial class Dw14x96;

// The geometry and validation of a 2-D convolution: output sizes, TensorFlow SAME padding, the valid
// kernel taps of every output pixel, and what makes a layer invalid.
//
// This one file is compiled into the runtime library (ConvSpec, ConvLayer) and linked into the source
// generator (generators/SpecializedConv.Generators), as dotnet/runtime links RegexParser into its Regex
// generator: a generated layer and the runtime fallback can never disagree on a shape or a message.
// It must therefore build for netstandard2.0 as well as net10.0.

using System;
using System.Collections.Generic;
using System.Globalization;

namespace SpecializedConv.Geometry;

/// <summary>A setting of a convolution layer, named as the attribute and <c>ConvSpec</c> name it.</summary>
internal enum ConvSetting
{
    InputHeight,
    InputWidth,
    InputChannels,
    OutputChannels,
    KernelHeight,
    KernelWidth,
    StrideHeight,
    StrideWidth,
    DilationHeight,
    DilationWidth,
    Padding,
    PadTop,
    PadBottom,
    PadLeft,
    PadRight,
    Groups,
    DepthMultiplier,
    Activation,
    ActivationAlpha,
}

/// <summary>The kinds of invalid configuration; each maps to one compile-time diagnostic.</summary>
internal enum ConvProblemKind
{
    /// <summary>A size, channel count, kernel size, stride, dilation, group count or multiplier is zero or negative.</summary>
    NotPositive,

    /// <summary>An explicit pad is negative.</summary>
    NegativePad,

    /// <summary>The output would have no pixels along an axis.</summary>
    EmptyOutput,

    /// <summary>Input or output channels are not a multiple of the group count.</summary>
    ChannelsNotDivisibleByGroups,

    /// <summary>Pads were given together with an explicit <c>Padding.Same</c> or <c>Padding.Valid</c>.</summary>
    PadsWithoutExplicitPadding,

    /// <summary>An enum value that is not defined, or an activation slope that is not finite.</summary>
    InvalidValue,

    /// <summary>An input, output or weight tensor longer than a span can hold.</summary>
    TooLarge,
}

/// <summary>One reason a configuration is invalid, with a message a person can act on.</summary>
internal readonly struct ConvProblem
{
    public ConvProblem(ConvProblemKind kind, ConvSetting setting, string message)
    {
        Kind = kind;
        Setting = setting;
        Message = message;
    }

    public ConvProblemKind Kind { get; }

    /// <summary>The setting at fault: the generator reports its diagnostic on that attribute argument.</summary>
    public ConvSetting Setting { get; }

    public string Message { get; }
}

/// <summary>The numbers that declare a convolution, as the user gave them (before validation).</summary>
internal struct ConvShape
{
    public int InputHeight;
    public int InputWidth;
    public int InputChannels;
    public int OutputChannels;
    public int KernelHeight;
    public int KernelWidth;
    public int StrideHeight;
    public int StrideWidth;
    public int DilationHeight;
    public int DilationWidth;

    /// <summary>The padding mode the user set, or <see langword="null"/> when left unset.</summary>
    public Padding? Padding;
    public int PadTop;
    public int PadBottom;
    public int PadLeft;
    public int PadRight;

    /// <summary>Whether any pad was given; pads given with the mode unset mean <see cref="Padding.Explicit"/>.</summary>
    public bool PadsGiven;
    public int Groups;

    /// <summary>Whether the layer was declared depthwise: channels and <see cref="DepthMultiplier"/> instead of output channels and groups.</summary>
    public bool Depthwise;

    /// <summary>The depthwise multiplier of a layer declared depthwise.</summary>
    public int DepthMultiplier;
    public Activation Activation;
    public float ActivationAlpha;

    /// <summary>The mode in effect: the one given, else Explicit when pads were given, else Valid.</summary>
    public readonly Padding ResolvedPadding => Padding ?? (PadsGiven ? SpecializedConv.Padding.Explicit : SpecializedConv.Padding.Valid);

    /// <summary>The height axis, resolved. Only meaningful for a shape that <see cref="ConvGeometry.Validate"/> accepts.</summary>
    public readonly ConvAxis Height => ConvAxis.Resolve(InputHeight, KernelHeight, StrideHeight, DilationHeight, ResolvedPadding, PadTop, PadBottom);

    /// <summary>The width axis, resolved. Only meaningful for a shape that <see cref="ConvGeometry.Validate"/> accepts.</summary>
    public readonly ConvAxis Width => ConvAxis.Resolve(InputWidth, KernelWidth, StrideWidth, DilationWidth, ResolvedPadding, PadLeft, PadRight);
}

/// <summary>
/// One spatial axis of a convolution with its padding resolved. Output pixel <c>o</c> reads input pixels
/// <c>o * Stride - PadBegin + k * Dilation</c> for kernel taps <c>k</c> in <c>[0, Kernel)</c>; those outside
/// <c>[0, Input)</c> read zero.
/// </summary>
internal readonly struct ConvAxis
{
    public ConvAxis(int input, int kernel, int stride, int dilation, int padBegin, int padEnd)
    {
        Input = input;
        Kernel = kernel;
        Stride = stride;
        Dilation = dilation;
        PadBegin = padBegin;
        PadEnd = padEnd;
    }

    public int Input { get; }
    public int Kernel { get; }
    public int Stride { get; }
    public int Dilation { get; }
    public int PadBegin { get; }
    public int PadEnd { get; }

    /// <summary>The span of input the kernel covers: <c>(K - 1) * D + 1</c>.</summary>
    public int EffectiveKernel => (Kernel - 1) * Dilation + 1;

    /// <summary><c>floor((N + padBegin + padEnd - EK) / S) + 1</c>; zero or less when the window does not fit.</summary>
    public int Output
    {
        get
        {
            long span = (long)Input + PadBegin + PadEnd - EffectiveKernel;
            return span < 0 ? 0 : (int)(span / Stride + 1);
        }
    }

    /// <summary>The first output pixel whose whole window lies inside the input.</summary>
    public int InteriorBegin => (int)Min(((long)PadBegin + Stride - 1) / Stride, Output);

    /// <summary>One past the last output pixel whose whole window lies inside the input (at least <see cref="InteriorBegin"/>).</summary>
    public int InteriorEnd
    {
        get
        {
            long room = (long)Input - EffectiveKernel + PadBegin;
            int end = room < 0 ? 0 : (int)Min(room / Stride + 1, Output);
            return end < InteriorBegin ? InteriorBegin : end;
        }
    }

    /// <summary>The first input pixel output <paramref name="output"/>'s window starts at (negative inside the padding).</summary>
    public int WindowStart(int output) => output * Stride - PadBegin;

    /// <summary>The kernel taps <c>[first, end)</c> of output <paramref name="output"/> that read inside the input.</summary>
    public void ValidTaps(int output, out int first, out int end)
    {
        int start = WindowStart(output);
        first = start >= 0 ? 0 : (int)((-(long)start + Dilation - 1) / Dilation);
        int last = Input - 1 - start;
        end = last < 0 ? 0 : Min(last / Dilation + 1, Kernel);
        if (end < first)
        {
            end = first;
        }
    }

    /// <summary>
    /// The outputs of this axis cut into maximal runs that read the same valid taps: the top (left) border
    /// pixels one by one as their taps differ, the interior as one run, then the bottom (right) border.
    /// </summary>
    public List<TapRun> TapRuns()
    {
        var runs = new List<TapRun>();
        int output = Output;
        for (int o = 0; o < output; o++)
        {
            ValidTaps(o, out int first, out int end);
            if (runs.Count > 0)
            {
                TapRun last = runs[runs.Count - 1];
                if (last.FirstTap == first && last.EndTap == end)
                {
                    runs[runs.Count - 1] = new TapRun(last.Begin, o + 1, first, end);
                    continue;
                }
            }

            runs.Add(new TapRun(o, o + 1, first, end));
        }

        return runs;
    }

    /// <summary>Resolves the padding mode into per-side pads (TensorFlow SAME puts the odd pixel at the end).</summary>
    public static ConvAxis Resolve(int input, int kernel, int stride, int dilation, Padding padding, int padBegin, int padEnd)
    {
        switch (padding)
        {
            case Padding.Valid:
                return new ConvAxis(input, kernel, stride, dilation, 0, 0);
            case Padding.Same:
                int output = stride > 0 ? (int)(((long)input + stride - 1) / stride) : 0;
                long total = ((long)output - 1) * stride + ((long)kernel - 1) * dilation + 1 - input;
                int pad = total > 0 && total < int.MaxValue ? (int)total : 0;
                return new ConvAxis(input, kernel, stride, dilation, pad / 2, pad - pad / 2);
            default:
                return new ConvAxis(input, kernel, stride, dilation, padBegin, padEnd);
        }
    }

    private static int Min(int a, int b) => a < b ? a : b;

    private static long Min(long a, long b) => a < b ? a : b;
}

/// <summary>Outputs <c>[Begin, End)</c> of one axis, which all read kernel taps <c>[FirstTap, EndTap)</c>.</summary>
internal readonly struct TapRun
{
    public TapRun(int begin, int end, int firstTap, int endTap)
    {
        Begin = begin;
        End = end;
        FirstTap = firstTap;
        EndTap = endTap;
    }

    public int Begin { get; }
    public int End { get; }
    public int FirstTap { get; }
    public int EndTap { get; }
    public int Count => End - Begin;
}

/// <summary>Validation and derived quantities shared by the runtime and the generator.</summary>
internal static class ConvGeometry
{
    /// <summary>
    /// Every reason <paramref name="shape"/> is not a valid convolution, in the order a person should fix
    /// them; empty when it is valid. Problems that would make later checks meaningless stop the search.
    /// </summary>
    /// <remarks>Allocates nothing for a valid shape: the runtime validates on every computed size.</remarks>
    public static IReadOnlyList<ConvProblem> Validate(in ConvShape shape)
    {
        List<ConvProblem>? problems = null;
        bool depthwise = shape.Depthwise;

        Positive(ref problems, ConvSetting.InputHeight, "input height", shape.InputHeight);
        Positive(ref problems, ConvSetting.InputWidth, "input width", shape.InputWidth);
        Positive(ref problems, ConvSetting.InputChannels, depthwise ? "channel count" : "input channel count", shape.InputChannels);
        if (depthwise)
        {
            Positive(ref problems, ConvSetting.DepthMultiplier, "depth multiplier", shape.DepthMultiplier);
        }
        else
        {
            Positive(ref problems, ConvSetting.OutputChannels, "output channel count", shape.OutputChannels);
        }

        Positive(ref problems, ConvSetting.KernelHeight, "kernel height", shape.KernelHeight);
        Positive(ref problems, ConvSetting.KernelWidth, "kernel width", shape.KernelWidth);
        Positive(ref problems, ConvSetting.StrideHeight, "stride along the height", shape.StrideHeight);
        Positive(ref problems, ConvSetting.StrideWidth, "stride along the width", shape.StrideWidth);
        Positive(ref problems, ConvSetting.DilationHeight, "dilation along the height", shape.DilationHeight);
        Positive(ref problems, ConvSetting.DilationWidth, "dilation along the width", shape.DilationWidth);
        if (!depthwise)
        {
            Positive(ref problems, ConvSetting.Groups, "group count", shape.Groups);
        }

        if (shape.Padding is { } mode && (mode < SpecializedConv.Padding.Valid || mode > SpecializedConv.Padding.Explicit))
        {
            Add(ref problems, new ConvProblem(ConvProblemKind.InvalidValue, ConvSetting.Padding,
                $"Padding value {Text((int)mode)} is not defined: use Padding.Valid, Padding.Same or Padding.Explicit."));
        }

        if (shape.Activation < SpecializedConv.Activation.None || shape.Activation > SpecializedConv.Activation.HardSwish)
        {
            Add(ref problems, new ConvProblem(ConvProblemKind.InvalidValue, ConvSetting.Activation,
                $"Activation value {Text((int)shape.Activation)} is not defined: use one of the members of the Activation enum."));
        }

        if (float.IsNaN(shape.ActivationAlpha) || float.IsInfinity(shape.ActivationAlpha))
        {
            Add(ref problems, new ConvProblem(ConvProblemKind.InvalidValue, ConvSetting.ActivationAlpha,
                $"ActivationAlpha must be a finite number, but is {shape.ActivationAlpha.ToString(CultureInfo.InvariantCulture)}."));
        }

        NonNegative(ref problems, ConvSetting.PadTop, nameof(ConvSetting.PadTop), shape.PadTop);
        NonNegative(ref problems, ConvSetting.PadBottom, nameof(ConvSetting.PadBottom), shape.PadBottom);
        NonNegative(ref problems, ConvSetting.PadLeft, nameof(ConvSetting.PadLeft), shape.PadLeft);
        NonNegative(ref problems, ConvSetting.PadRight, nameof(ConvSetting.PadRight), shape.PadRight);

        if (shape.PadsGiven && shape.Padding is { } given && given != SpecializedConv.Padding.Explicit)
        {
            Add(ref problems, new ConvProblem(ConvProblemKind.PadsWithoutExplicitPadding, ConvSetting.Padding,
                $"Pads are given together with Padding.{given}, which computes its own. Either remove the pads, or set Padding = Padding.Explicit (or leave Padding unset) to use them."));
        }

        if (problems is not null)
        {
            return problems;
        }

        int groups = depthwise ? shape.InputChannels : shape.Groups;
        if (!depthwise)
        {
            if (shape.InputChannels % groups != 0)
            {
                Add(ref problems, new ConvProblem(ConvProblemKind.ChannelsNotDivisibleByGroups, ConvSetting.Groups,
                    $"The input channel count {Text(shape.InputChannels)} is not divisible by Groups = {Text(groups)}: every group must read the same number of channels. Choose Groups among the divisors of both channel counts."));
            }

            if (shape.OutputChannels % groups != 0)
            {
                Add(ref problems, new ConvProblem(ConvProblemKind.ChannelsNotDivisibleByGroups, ConvSetting.Groups,
                    $"The output channel count {Text(shape.OutputChannels)} is not divisible by Groups = {Text(groups)}: every group must write the same number of channels. Choose Groups among the divisors of both channel counts."));
            }
        }

        AxisFits(ref problems, shape.InputHeight, shape.KernelHeight, shape.StrideHeight, shape.DilationHeight, shape.ResolvedPadding, shape.PadTop, shape.PadBottom,
            "height", ConvSetting.KernelHeight, ConvSetting.DilationHeight, shape.PadTop >= shape.PadBottom ? ConvSetting.PadTop : ConvSetting.PadBottom, "PadTop", "PadBottom");
        AxisFits(ref problems, shape.InputWidth, shape.KernelWidth, shape.StrideWidth, shape.DilationWidth, shape.ResolvedPadding, shape.PadLeft, shape.PadRight,
            "width", ConvSetting.KernelWidth, ConvSetting.DilationWidth, shape.PadLeft >= shape.PadRight ? ConvSetting.PadLeft : ConvSetting.PadRight, "PadLeft", "PadRight");
        if (problems is not null)
        {
            return problems;
        }

        // Spans are indexed by int: every tensor of one image must fit.
        ConvSetting outputSetting = depthwise ? ConvSetting.DepthMultiplier : ConvSetting.OutputChannels;
        long outputChannels = depthwise ? (long)shape.InputChannels * shape.DepthMultiplier : shape.OutputChannels;
        ConvAxis height = shape.Height, width = shape.Width;
        TooLarge(ref problems, ConvSetting.InputHeight, "input", (long)shape.InputHeight * shape.InputWidth * shape.InputChannels);
        TooLarge(ref problems, outputSetting, "output", (long)height.Output * width.Output * outputChannels);
        TooLarge(ref problems, outputSetting, "weight", (long)shape.KernelHeight * shape.KernelWidth * (shape.InputChannels / groups) * outputChannels);
        return (IReadOnlyList<ConvProblem>?)problems ?? Array.Empty<ConvProblem>();
    }

    /// <summary>Multiply-adds counted as two FLOPs, padded taps included (as the benchmark suite counts them).</summary>
    public static long Flops(in ConvShape shape, int outputChannels, int groups)
    {
        ConvAxis height = shape.Height, width = shape.Width;
        return 2L * height.Output * width.Output * outputChannels * shape.KernelHeight * shape.KernelWidth * (shape.InputChannels / groups);
    }

    /// <summary>An integer as the invariant culture writes it (messages must not depend on the build machine's locale).</summary>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Add(ref List<ConvProblem>? problems, ConvProblem problem) => (problems ??= new List<ConvProblem>()).Add(problem);

    private static void Positive(ref List<ConvProblem>? problems, ConvSetting setting, string what, int value)
    {
        if (value <= 0)
        {
            Add(ref problems, new ConvProblem(ConvProblemKind.NotPositive, setting,
                $"The {what} ({setting}) must be at least 1, but is {Text(value)}."));
        }
    }

    private static void NonNegative(ref List<ConvProblem>? problems, ConvSetting setting, string name, int value)
    {
        if (value < 0)
        {
            Add(ref problems, new ConvProblem(ConvProblemKind.NegativePad, setting,
                $"{name} must be zero or more, but is {Text(value)}: padding adds zeros, it cannot crop. Crop the input before the layer instead."));
        }
    }

    /// <summary>
    /// Checks one axis in 64-bit arithmetic before anything is computed in 32: the window must fit the padded input (else
    /// the output is empty), and the padded input must fit an int, so that every window start, tap and output index does.
    /// </summary>
    private static void AxisFits(ref List<ConvProblem>? problems, int input, int kernel, int stride, int dilation, Padding padding, int padBegin, int padEnd,
        string name, ConvSetting kernelSetting, ConvSetting dilationSetting, ConvSetting padSetting, string padBeginName, string padEndName)
    {
        long effectiveKernel = ((long)kernel - 1) * dilation + 1;
        long padded = padding switch
        {
            // SAME pads up to ceil(N / S) windows: the last one ends (ceil(N / S) - 1) * S + EK in, never before N.
            SpecializedConv.Padding.Same => Math.Max(((((long)input + stride - 1) / stride) - 1) * stride + effectiveKernel, input),
            SpecializedConv.Padding.Explicit => (long)input + padBegin + padEnd,
            _ => input,
        };
        if (padded > int.MaxValue)
        {
            bool kernelAtFault = padding == SpecializedConv.Padding.Same || effectiveKernel > int.MaxValue;
            Add(ref problems, new ConvProblem(ConvProblemKind.TooLarge, kernelAtFault ? dilationSetting : padSetting,
                $"Along the {name}, the padded input would span {Text(padded)} pixels (input {Text(input)}, effective kernel {Text(effectiveKernel)} = (kernel {Text(kernel)} - 1) x dilation {Text(dilation)} + 1), more than an int can index. " +
                (kernelAtFault ? "Use a smaller dilation or kernel." : $"Use smaller pads ({padBeginName}, {padEndName}).")));
            return;
        }

        if (effectiveKernel > padded)
        {
            int shownBegin = padding == SpecializedConv.Padding.Explicit ? padBegin : 0, shownEnd = padding == SpecializedConv.Padding.Explicit ? padEnd : 0;
            Add(ref problems, new ConvProblem(ConvProblemKind.EmptyOutput, kernelSetting,
                $"The output {name} would be empty: the input {name} {Text(input)} plus padding {Text(shownBegin)} + {Text(shownEnd)} is smaller than the effective kernel {name} {Text(effectiveKernel)} (kernel {Text(kernel)}, dilation {Text(dilation)}). " +
                $"Use a smaller kernel or dilation, Padding.Same, or more padding ({padBeginName}, {padEndName})."));
        }
    }

    private static void TooLarge(ref List<ConvProblem>? problems, ConvSetting setting, string tensor, long length)
    {
        if (length > int.MaxValue)
        {
            Add(ref problems, new ConvProblem(ConvProblemKind.TooLarge, setting,
                $"The {tensor} of one image would hold {Text(length)} floats, more than a span can index ({Text(int.MaxValue)}). Split the layer into smaller ones."));
        }
    }
}

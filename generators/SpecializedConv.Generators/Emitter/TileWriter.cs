using System.Collections.Generic;
using System.Linq;
using SpecializedConv.Generators.Planner;
using static SpecializedConv.Generators.Emitter.LayerEmitter;
using static SpecializedConv.Generators.Planner.VectorIsa;

namespace SpecializedConv.Generators.Emitter;

/// <summary>
/// One kernel tap the tile reads: a comment, the input offset (in floats) from each pixel's input, the tap's place in the
/// packed weights (its place in the list when null), and the pixels that read it (a bit per pixel; all when -1).
/// </summary>
internal readonly record struct TapRead(string Comment, int InputOffset, int? WeightTap = null, int PixelMask = -1)
{
    public bool ReadBy(int pixel) => ((PixelMask >> pixel) & 1) != 0;
}

/// <summary>The class of each tap and the offset, from the tile's input, that each class's ref starts at.</summary>
internal sealed record ReadClassPlan(int[] ClassOf, int[] Bases);

/// <summary>
/// The register tile of the direct and pointwise kernels, written out in full: <c>Pixels x Vectors</c> accumulators
/// start from the bias, a loop over input channels unrolls every tap (each tap: the weight vectors, then one
/// broadcast per pixel and its FMAs), then the activation and the stores. Offsets are constants, so every load
/// is one instruction with a fixed displacement.
/// </summary>
internal sealed class MatrixTile
{
    public required VectorIsa Isa { get; init; }
    public required int Pixels { get; init; }
    public required int Vectors { get; init; }

    /// <summary>Channels in the last vector (the lanes, or fewer in a group's narrower last block).</summary>
    public required int LastLanes { get; init; }

    /// <summary>Floats between consecutive pixels of the tile in the input and the output.</summary>
    public required int PixelInputStep { get; init; }
    public required int PixelOutputStep { get; init; }

    /// <summary>
    /// Each pixel's input offset from <see cref="Input"/> when the pixels are not evenly spaced (a row's edge pixels, whose
    /// windows start in the padding: an offset may then be negative, the taps they read never are).
    /// </summary>
    public IReadOnlyList<int>? PixelInputOffsets { get; init; }

    /// <summary>The taps unrolled inside the channel loop, in the packed weights' order.</summary>
    public required IReadOnlyList<TapRead> Taps { get; init; }

    /// <summary>
    /// The input channels the loop runs over, <c>[ChannelBegin, ChannelEnd)</c> as expressions, and the packed weights per
    /// channel (all taps of the block); <see cref="Weights"/> points at <see cref="ChannelBegin"/>'s.
    /// </summary>
    public string ChannelBegin { get; init; } = "0";
    public required string ChannelEnd { get; init; }
    public required int ChannelWeightStride { get; init; }

    /// <summary>
    /// Set when the channels run in chunks of a layer with this many: the accumulators then start from the output
    /// after the first chunk, and the activation runs after the last one only.
    /// </summary>
    public int? ChunkedChannels { get; init; }

    /// <summary>Names of the <c>ref float</c> locals: input at pixel 0's first tap, output of pixel 0, the block's weights and bias.</summary>
    public required string Input { get; init; }
    public required string Output { get; init; }
    public required string Weights { get; init; }
    public required string Bias { get; init; }

    public required Activation Activation { get; init; }
    public required float Alpha { get; init; }

    /// <summary>
    /// Kernel rows the tile loops over around its channel loop when the taps are not all unrolled (then
    /// <see cref="Taps"/> is one kernel row), with the input and weight floats between kernel rows.
    /// </summary>
    public int KernelRows { get; init; } = 1;
    public int KernelRowInputStep { get; init; }
    public int KernelRowWeightStep { get; init; }

    public void Write(CodeWriter w)
    {
        int lanes = Isa.Lanes;
        string type = Isa.Type;
        w.Open("");
        w.Line(F($"// {Pixels} pixel{(Pixels == 1 ? "" : "s")} x {Vectors} vector{(Vectors == 1 ? "" : "s")} of accumulators, starting from the bias"));
        if (ChunkedChannels is null)
        {
            for (int v = 0; v < Vectors; v++)
            {
                w.Line($"{type} bias{v} = {Isa.Load(Bias, Int(v * lanes))};");
            }

            for (int p = 0; p < Pixels; p++)
            {
                w.Line($"{type} " + string.Join(", ", Enumerable.Range(0, Vectors).Select(v => F($"a{p}_{v} = bias{v}"))) + ";");
            }
        }
        else
        {
            w.Line($"{type} " + string.Join(", ", Enumerable.Range(0, Pixels).SelectMany(p => Enumerable.Range(0, Vectors).Select(v => F($"a{p}_{v}")))) + ";");
            w.Open($"if ({ChannelBegin} == 0)");
            for (int p = 0; p < Pixels; p++)
            {
                w.Line(string.Join(" ", Enumerable.Range(0, Vectors).Select(v => $"a{p}_{v} = {Isa.Load(Bias, Int(v * lanes))};")));
            }

            w.Close();
            w.Open("else");
            w.Line("// a later chunk of input channels: continue from the partial sums in the output");
            for (int p = 0; p < Pixels; p++)
            {
                w.Line(string.Join(" ", Enumerable.Range(0, Vectors).Select(v => $"a{p}_{v} = {LoadPartial(p, v)};")));
            }

            w.Close();
        }

        if (Taps.Count == 0)
        {
            // every tap of these pixels falls in the padding: the output is the bias
            WriteEpilogues(w);
            w.Close();
            return;
        }

        string input = Input;
        if (KernelRows > 1)
        {
            w.Open(F($"for (nint ky = 0; ky < {KernelRows}; ky++)"));
            w.Line(F($"ref float kernelRow = ref Unsafe.Add(ref {Input}, ky * {KernelRowInputStep});"));
            w.Line(F($"ref float weight = ref Unsafe.Add(ref {Weights}, ky * {KernelRowWeightStep});"));
            input = "kernelRow";
        }
        else
        {
            w.Line($"ref float weight = ref {Weights};");
        }

        // One vector: each broadcast feeds a single FMA, written inside it so the JIT can fold it into the FMA's memory
        // operand (an embedded broadcast on AVX-512: one instruction, no register).
        bool inlineBroadcast = Vectors == 1;
        // Taps that can read the same input (in a 3x3 window at stride 1, a row's three taps read each column) go through
        // separate refs, whose addresses the JIT cannot prove equal: it would otherwise load a shared broadcast once and
        // keep it in a register from tap to tap and, with the accumulators and weights in nearly all 32 registers, store
        // it to the stack and load it back (66 zmm stack accesses a channel in a 17x17x160 -> 192 row method). Zen 5, A/B
        // in one process: 56x56x64 -> 64 3x3 -5 to -7 %, 64x64x64 -> 64 -4 %, 17x17x160 -> 192 -2 to -8 %, the 5x5
        // and 7x7 stems -1 to -6 %, the other 3x3 layers within 1 %. Not for one-vector tiles, whose broadcasts fold
        // into the FMAs: the refs cost them 10-12 %.
        ReadClassPlan? classes = inlineBroadcast ? null : ReadClasses(Enumerable.Range(0, Taps.Count).Select(TapReads).ToArray());
        if (classes is { } plan)
        {
            w.Line("// each class of taps that never read the same input float reads through its own ref");
            for (int k = 0; k < plan.Bases.Length; k++)
            {
                w.Line(F($"ref float {ClassInput(k)} = ref Unsafe.Add(ref {input}, {plan.Bases[k]});"));
            }
        }

        w.Open($"for (nint c = {ChannelBegin}; c < {ChannelEnd}; c++)");
        w.Line($"{type} " + string.Join(", ", Enumerable.Range(0, Vectors).Select(v => "w" + Int(v))) + (inlineBroadcast ? ";" : ", broadcast;"));
        for (int t = 0; t < Taps.Count; t++)
        {
            TapRead tap = Taps[t];
            w.Line("// " + tap.Comment);
            for (int v = 0; v < Vectors; v++)
            {
                w.Line($"w{v} = {Isa.Load("weight", Int((((tap.WeightTap ?? t) * Vectors) + v) * lanes))};");
            }

            for (int p = 0; p < Pixels; p++)
            {
                if (!tap.ReadBy(p))
                {
                    continue;
                }

                int offset = tap.InputOffset + PixelOffset(p);
                string source = input;
                if (classes is { } readClasses)
                {
                    source = ClassInput(readClasses.ClassOf[t]);
                    offset -= readClasses.Bases[readClasses.ClassOf[t]];
                }

                string index = offset == 0 ? "c" : offset > 0 ? "c + " + Int(offset) : "c - " + Int(-offset);
                string broadcast = Isa.Broadcast($"Unsafe.Add(ref {source}, {index})");
                if (inlineBroadcast)
                {
                    w.Line(F($"a{p}_0 = {Isa.MultiplyAdd(broadcast, "w0", F($"a{p}_0"))};"));
                    continue;
                }

                w.Line($"broadcast = {broadcast};");
                w.Line(string.Join(" ", Enumerable.Range(0, Vectors).Select(v => $"a{p}_{v} = {Isa.MultiplyAdd("broadcast", "w" + Int(v), F($"a{p}_{v}"))};")));
            }
        }

        w.Line(F($"weight = ref Unsafe.Add(ref weight, {ChannelWeightStride});"));
        w.Close();
        if (KernelRows > 1)
        {
            w.Close();
        }

        WriteEpilogues(w);
        w.Close();
    }

    /// <summary>Pixel <paramref name="pixel"/>'s input offset from <see cref="Input"/>.</summary>
    private int PixelOffset(int pixel) => PixelInputOffsets?[pixel] ?? (pixel * PixelInputStep);

    private static string ClassInput(int readClass) => F($"tapInput{readClass}");

    /// <summary>The input floats tap <paramref name="tap"/> reads at channel 0, as offsets from <see cref="Input"/>.</summary>
    private int[] TapReads(int tap) => Enumerable.Range(0, Pixels).Where(Taps[tap].ReadBy).Select(p => Taps[tap].InputOffset + PixelOffset(p)).ToArray();

    /// <summary>The most refs a tile's taps read through: each holds a general-purpose register through the channel loop.</summary>
    internal const int MaxReadClasses = 8;

    /// <summary>
    /// Sorts taps, given the input floats each reads, greedily in order into classes no two of whose reads are the same
    /// float, and gives each class a base: one of its reads, so that its ref points at a float the tile reads, inside
    /// the caller's input (a ref the GC reports must not point outside its array), and no other class's base, since two
    /// refs at one offset are one value to the JIT again. Null where one ref serves (no two taps share a read), where
    /// more than <see cref="MaxReadClasses"/> would be needed, or where a class has no read of its own to start from.
    /// </summary>
    internal static ReadClassPlan? ReadClasses(IReadOnlyList<int[]> reads)
    {
        var members = new List<List<int>>();
        int[] classOf = new int[reads.Count];
        for (int tap = 0; tap < reads.Count; tap++)
        {
            int found = members.FindIndex(taps => !taps.Any(other => reads[other].Intersect(reads[tap]).Any()));
            if (found < 0)
            {
                found = members.Count;
                members.Add([]);
            }

            members[found].Add(tap);
            classOf[tap] = found;
        }

        if (members.Count == 1 || members.Count > MaxReadClasses)
        {
            return null;
        }

        var bases = new List<int>();
        foreach (List<int> taps in members)
        {
            int[] free = taps.SelectMany(tap => reads[tap]).Where(read => !bases.Contains(read)).ToArray();
            if (free.Length == 0)
            {
                return null;
            }

            bases.Add(free.Min());
        }

        return new ReadClassPlan(classOf, bases.ToArray());
    }

    /// <summary>The stores, with the activation after the last chunk of channels only.</summary>
    private void WriteEpilogues(CodeWriter w)
    {
        if (ChunkedChannels is { } channels)
        {
            w.Open(F($"if ({ChannelEnd} == {channels})"));
            WriteEpilogue(w, Activation);
            w.Close();
            w.Open("else");
            WriteEpilogue(w, Activation.None);
            w.Close();
        }
        else
        {
            WriteEpilogue(w, Activation);
        }
    }

    /// <summary>A partial sum stored by the previous chunk (the last vector of a narrow block holds fewer channels).</summary>
    private string LoadPartial(int pixel, int vector)
    {
        string offset = Int((pixel * PixelOutputStep) + (vector * Isa.Lanes));
        return vector == Vectors - 1 && LastLanes < Isa.Lanes ? Isa.LoadFirst(Output, offset, LastLanes) : Isa.Load(Output, offset);
    }

    private void WriteEpilogue(CodeWriter w, Activation activation)
    {
        int lanes = Isa.Lanes;
        string? inline = ActivationWriter.Inline(Isa, activation, Alpha, "{0}");
        w.Line(inline is null ? "// store" : $"// {activation}, then store");
        for (int p = 0; p < Pixels; p++)
        {
            var statements = new List<string>();
            for (int v = 0; v < Vectors; v++)
            {
                string name = F($"a{p}_{v}");
                string value = inline is null ? name : string.Format(System.Globalization.CultureInfo.InvariantCulture, inline, name);
                string offset = Int((p * PixelOutputStep) + (v * lanes));
                statements.Add(v == Vectors - 1 && LastLanes < lanes ? Isa.StoreFirst(value, Output, offset, LastLanes) : Isa.Store(value, Output, offset));
            }

            w.Line(string.Join(" ", statements));
        }

        if (ActivationWriter.NeedsPass(activation))
        {
            int width = ((Vectors - 1) * lanes) + LastLanes;
            for (int p = 0; p < Pixels; p++)
            {
                w.Line(ActivationWriter.Pass($"Unsafe.Add(ref {Output}, {Int(p * PixelOutputStep)})", Int(width), activation, Alpha));
            }
        }
    }
}

/// <summary>Activations as the kernels write them: the clamps and HardSwish inline, the exp-based ones as a pass over the stored floats.</summary>
internal static class ActivationWriter
{
    /// <summary>A format string of the activation around <c>{0}</c>, or null when nothing is applied inline.</summary>
    public static string? Inline(VectorIsa isa, Activation activation, float alpha, string value)
    {
        // Zero and the bounds first in each min and max, as in the runtime's ActivationOps.Clamp: the native instructions
        // return their second operand when either is NaN, so a NaN passes through; without a slope nothing multiplies,
        // so Relu of minus infinity is 0.
        string zero = isa.Zero;
        return activation switch
        {
            Activation.Relu => isa.Max(zero, value),
            Activation.LeakyRelu when alpha == 0f => isa.Max(zero, value),
            Activation.Relu6 => isa.Min(isa.Splat(6f), isa.Max(zero, value)),
            Activation.LeakyRelu => isa.MultiplyAdd(isa.Min(zero, value), isa.Splat(alpha), isa.Max(zero, value)),
            Activation.HardSwish => $"({value} * {isa.Min(isa.Splat(6f), isa.Max(zero, $"{value} + {isa.Splat(3f)}"))}) / {isa.Splat(6f)}",
            _ => null,
        };
    }

    /// <summary>Whether the activation runs as a pass after the stores (it calls exp, which must not sit among live accumulators).</summary>
    public static bool NeedsPass(Activation activation) => activation is Activation.Sigmoid or Activation.Tanh or Activation.Silu;

    public static string Pass(string start, string count, Activation activation, float alpha) =>
        $"ActivationPass.Apply(ref {start}, {count}, global::SpecializedConv.Activation.{activation}, {Float(alpha)});";
}

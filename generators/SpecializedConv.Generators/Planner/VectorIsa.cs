using System.Globalization;
using System.Linq;

namespace SpecializedConv.Generators.Planner;

/// <summary>
/// One SIMD path of a generated layer and how the emitter writes its operations: the vector type, its lanes, the
/// registers the JIT can allocate (32 with AVX-512's EVEX encoding, 16 otherwise), and the expressions for loads,
/// broadcasts, FMAs and stores. Generated code is safe C# (no pointers), so memory goes through <c>ref float</c>.
/// </summary>
internal sealed record VectorIsa(string Suffix, string Vector, int Lanes, int Registers)
{
    public static readonly VectorIsa V512 = new("512", "Vector512", 16, 32);
    public static readonly VectorIsa V256 = new("256", "Vector256", 8, 16);
    public static readonly VectorIsa V128 = new("128", "Vector128", 4, 16);
    public static readonly VectorIsa Scalar = new("Scalar", "", 1, 16);

    public static readonly VectorIsa[] All = [V512, V256, V128, Scalar];

    public bool IsScalar => Lanes == 1;

    /// <summary>The register type.</summary>
    public string Type => IsScalar ? "float" : Vector + "<float>";

    /// <summary>The condition under which the dispatcher takes this path.</summary>
    public string Accelerated => IsScalar ? "true" : Vector + ".IsHardwareAccelerated";

    public string Zero => IsScalar ? "0f" : Type + ".Zero";

    public string Splat(float value) => IsScalar ? Float(value) : $"{Vector}.Create({Float(value)})";

    public string Load(string reference, string offset) => IsScalar
        ? $"Unsafe.Add(ref {reference}, {offset})"
        : offset == "0" ? $"{Vector}.LoadUnsafe(ref {reference})" : $"{Vector}.LoadUnsafe(ref {reference}, (nuint)({offset}))";

    /// <summary>
    /// The input under a vector of output channels at a depth multiplier of <paramref name="multiplier"/> (2 or 4), where
    /// output channel <c>c x M + m</c> reads input channel <c>c</c>: <c>lanes / multiplier</c> floats, each spread over
    /// <paramref name="multiplier"/> lanes by one permute, nothing past them read (the last pixel's channels end the
    /// input). Written out, not called: every operation is a JIT intrinsic, where a helper method went uninlined in the
    /// large row methods (the inliner's budget) and spilled every accumulator around each call.
    /// </summary>
    public string LoadRepeated(string reference, string offset, int multiplier)
    {
        string at = $"ref Unsafe.Add(ref {reference}, {offset})";
        string two = $"Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>({at}))).AsSingle()";
        string Repeat(int lanes) => string.Join(", ", Enumerable.Range(0, lanes).Select(lane => Int(lane / multiplier)));
        return (Suffix, multiplier) switch
        {
            ("Scalar", _) => Load(reference, offset),
            ("512", 2) => $"Vector512.Shuffle(Vector256.LoadUnsafe({at}).ToVector512Unsafe(), Vector512.Create({Repeat(16)}))",
            ("512", 4) => $"Vector512.Shuffle(Vector128.LoadUnsafe({at}).ToVector256Unsafe().ToVector512Unsafe(), Vector512.Create({Repeat(16)}))",
            ("256", 2) => $"Vector256.Shuffle(Vector128.LoadUnsafe({at}).ToVector256Unsafe(), Vector256.Create({Repeat(8)}))",
            ("256", 4) => $"Vector256.Shuffle({two}.ToVector256Unsafe(), Vector256.Create({Repeat(8)}))",
            ("128", 2) => $"Vector128.Shuffle({two}, Vector128.Create({Repeat(4)}))",
            ("128", 4) => Broadcast($"Unsafe.Add(ref {reference}, {offset})"),
            _ => throw new System.ArgumentOutOfRangeException(nameof(multiplier), multiplier, "a depth multiplier of 2 or 4"),
        };
    }

    /// <summary>
    /// Channel <paramref name="channel"/> of each group of <paramref name="groupChannels"/> (2 or 4) lanes of
    /// <paramref name="vector"/>, broadcast across its group: a shuffle within each 128-bit lane. (Vector paths only: the
    /// scalar path loads the float itself.)
    /// </summary>
    public string BroadcastInGroups(string vector, int channel, int groupChannels) =>
        $"{Vector}.Shuffle({vector}, {Vector}.Create({string.Join(", ", Enumerable.Range(0, Lanes).Select(lane => Int((lane / groupChannels * groupChannels) + channel)))}))";

    /// <summary>The first <paramref name="count"/> lanes; the rest zero, nothing past them read.</summary>
    public string LoadFirst(string reference, string offset, int count) =>
        $"global::SpecializedConv.Runtime.VectorTail.LoadFirst{Suffix}(ref Unsafe.Add(ref {reference}, {offset}), {Int(count)})";

    public string Broadcast(string value) => IsScalar ? value : $"{Vector}.Create({value})";

    /// <summary><c>x * w + accumulator</c>: fused on the 512-bit path, where FMA always exists; fused where available on 256 and 128 (the 128-bit path also runs without FMA).</summary>
    public string MultiplyAdd(string x, string w, string accumulator) => Suffix switch
    {
        "512" => $"Vector512.FusedMultiplyAdd({x}, {w}, {accumulator})",
        "Scalar" => $"({x} * {w}) + {accumulator}",
        _ => $"{Vector}.MultiplyAddEstimate({x}, {w}, {accumulator})",
    };

    public string Max(string a, string b) => IsScalar ? $"({a} > {b} ? {a} : {b})" : $"{Vector}.MaxNative({a}, {b})";

    public string Min(string a, string b) => IsScalar ? $"({a} < {b} ? {a} : {b})" : $"{Vector}.MinNative({a}, {b})";

    public string Store(string value, string reference, string offset) => IsScalar
        ? $"Unsafe.Add(ref {reference}, {offset}) = {value};"
        : offset == "0" ? $"{Operand(value)}.StoreUnsafe(ref {reference});" : $"{Operand(value)}.StoreUnsafe(ref {reference}, (nuint)({offset}));";

    /// <summary>A value as the receiver of a member call: a compound expression gets parentheses.</summary>
    private static string Operand(string value) => value.All(c => char.IsLetterOrDigit(c) || c == '_') ? value : "(" + value + ")";

    /// <summary>Stores the first <paramref name="count"/> lanes and nothing past them.</summary>
    public string StoreFirst(string value, string reference, string offset, int count) =>
        $"global::SpecializedConv.Runtime.VectorTail.StoreFirst{Suffix}(ref Unsafe.Add(ref {reference}, {offset}), {value}, {Int(count)});";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A float literal that round-trips.</summary>
    public static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";
}

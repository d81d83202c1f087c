using System.Runtime.CompilerServices;

namespace SpecializedConv.Simd;

/// <summary>The activations of <see cref="Activation"/>, written once over any <see cref="IVectorWidth{TVec}"/>.</summary>
internal static unsafe class ActivationOps
{
    /// <summary>
    /// Whether <paramref name="activation"/> is a clamp (<c>min(max(x, 0), high) + alpha * min(x, 0)</c>), which a
    /// micro-kernel fuses into its store; the others (built on exp, and HardSwish) run over the stored tile, and None
    /// over nothing.
    /// </summary>
    public static bool IsClamp(Activation activation) => activation is Activation.Relu or Activation.Relu6 or Activation.LeakyRelu;

    /// <summary>Whether <paramref name="activation"/> runs as a pass over the stored tile: neither None nor a clamp.</summary>
    public static bool NeedsPass(Activation activation) => activation != Activation.None && !IsClamp(activation);

    /// <summary>The clamp's upper bound and negative slope for <paramref name="activation"/> (see <see cref="IsClamp"/>).</summary>
    public static void ClampParameters(Activation activation, float alpha, out float high, out float negativeSlope)
    {
        high = activation == Activation.Relu6 ? 6f : float.PositiveInfinity;
        negativeSlope = activation == Activation.LeakyRelu ? alpha : 0f;
    }

    /// <summary>
    /// The clamp form of Relu, Relu6 and LeakyRelu. Zero and the bound come first in each min and max: the native
    /// instructions return their second operand when either is NaN, so a NaN passes through, as in TensorFlow and
    /// PyTorch. Without a slope nothing multiplies, so Relu of minus infinity is 0 (0 x infinity would be NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Clamp<TVec, TWidth>(TVec x, TVec high, TVec negativeSlope, bool leaky)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        TVec zero = TWidth.Zero;
        TVec positive = TWidth.Min(high, TWidth.Max(zero, x));
        return leaky ? TWidth.MultiplyAdd(TWidth.Min(zero, x), negativeSlope, positive) : positive;
    }

    /// <summary>Applies <paramref name="activation"/> in place to <paramref name="count"/> floats.</summary>
    public static void Apply<TVec, TWidth>(float* values, int count, Activation activation, float alpha)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        int lanes = TWidth.Lanes;
        int i = 0;
        for (; i <= count - lanes; i += lanes)
        {
            TWidth.Store(values + i, Activate<TVec, TWidth>(TWidth.Load(values + i), activation, alpha));
        }

        if (i < count)
        {
            TWidth.StoreFirst(values + i, Activate<TVec, TWidth>(TWidth.LoadFirst(values + i, count - i), activation, alpha), count - i);
        }
    }

    /// <summary>Applies <paramref name="activation"/> in place to <paramref name="count"/> floats on the widest path.</summary>
    public static void Apply(float* values, int count, Activation activation, float alpha)
    {
        var action = new ApplyAction(values, count, activation, alpha);
        VectorPaths.Run(VectorPaths.Best, ref action);
    }

    private readonly struct ApplyAction(float* values, int count, Activation activation, float alpha) : IWidthAction
    {
        public void Run<TVec, TWidth>()
            where TVec : struct
            where TWidth : struct, IVectorWidth<TVec> => Apply<TVec, TWidth>(values, count, activation, alpha);
    }

    /// <summary>One register through <paramref name="activation"/>.</summary>
    public static TVec Activate<TVec, TWidth>(TVec x, Activation activation, float alpha)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        TVec zero = TWidth.Zero;
        switch (activation)
        {
            // Zero and the bound first, as in Clamp: a NaN passes through.
            case Activation.Relu:
                return TWidth.Max(zero, x);
            case Activation.Relu6:
                return TWidth.Min(TWidth.Broadcast(6f), TWidth.Max(zero, x));
            case Activation.LeakyRelu:
                return TWidth.MultiplyAdd(TWidth.Min(zero, x), TWidth.Broadcast(alpha), TWidth.Max(zero, x));
            case Activation.Sigmoid:
                return Sigmoid<TVec, TWidth>(x);
            case Activation.Tanh:
                return Tanh<TVec, TWidth>(x);
            case Activation.Silu:
                return TWidth.Multiply(x, Sigmoid<TVec, TWidth>(x));
            case Activation.HardSwish:
                TVec gate = TWidth.Min(TWidth.Broadcast(6f), TWidth.Max(zero, TWidth.Add(x, TWidth.Broadcast(3f))));
                return TWidth.Divide(TWidth.Multiply(x, gate), TWidth.Broadcast(6f));
            default:
                return x;
        }
    }

    // 1 / (1 + exp(-x)): exp overflows to +inf for x < -88 and the quotient is then exactly 0, as it should be.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Sigmoid<TVec, TWidth>(TVec x)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        TVec one = TWidth.Broadcast(1f);
        return TWidth.Divide(one, TWidth.Add(one, TWidth.Exp(TWidth.Multiply(x, TWidth.Broadcast(-1f)))));
    }

    // tanh|x| = (1 - e) / (1 + e) with e = exp(-2|x|) in (0, 1]: no overflow anywhere, then the sign of x.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Tanh<TVec, TWidth>(TVec x)
        where TVec : struct
        where TWidth : struct, IVectorWidth<TVec>
    {
        TVec one = TWidth.Broadcast(1f);
        TVec e = TWidth.Exp(TWidth.Multiply(TWidth.Abs(x), TWidth.Broadcast(-2f)));
        TVec magnitude = TWidth.Divide(TWidth.MultiplyAdd(e, TWidth.Broadcast(-1f), one), TWidth.Add(one, e));
        return TWidth.CopySign(magnitude, x);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpecializedConv.Simd;

/// <summary>
/// The 128-bit path: 4 floats per <see cref="Vector128{T}"/> (SSE, or AVX without AVX2), 16 registers. FMA and the
/// masked moves of AVX are used where present; without them tails go through a small stack buffer.
/// </summary>
internal readonly unsafe struct Width128 : IVectorWidth<Vector128<float>>
{
    public static int Lanes => Vector128<float>.Count;

    // With AVX-512 present (but Vector512 not preferred) the JIT encodes this width with EVEX and has 32 registers.
    public static int Registers => Avx512F.IsSupported ? 32 : 16;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadFirst(float* source, int count)
    {
        if (Avx.IsSupported)
        {
            return Avx.MaskLoad(source, Mask(count));
        }

        Vector128<float> value = Vector128<float>.Zero;
        for (int i = 0; i < count; i++)
        {
            value = value.WithElement(i, source[i]);
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector128<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(float* destination, Vector128<float> value, int count)
    {
        if (Avx.IsSupported)
        {
            Avx.MaskStore(destination, Mask(count), value);
            return;
        }

        for (int i = 0; i < count; i++)
        {
            destination[i] = value.GetElement(i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x) => Vector128.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> x) => Vector128.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> CopySign(Vector128<float> magnitude, Vector128<float> sign) => Vector128.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Permute(Vector128<float> value, Vector128<float> indices) => Vector128.Shuffle(value, indices.AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Mask(int count) => Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle();
}

using System.Runtime.Intrinsics;

namespace SpecializedConv.Simd;

/// <summary>
/// One SIMD width the fallback kernels are written against, once: <see cref="Width512"/>, <see cref="Width256"/>,
/// <see cref="Width128"/> and <see cref="WidthScalar"/>. Kernels are generic over a struct implementing this, so the
/// JIT compiles one specialized copy per width and every member below folds to one or two instructions.
/// </summary>
/// <typeparam name="TVec">The register type: <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/> or <see cref="float"/>.</typeparam>
internal unsafe interface IVectorWidth<TVec>
    where TVec : struct
{
    /// <summary>Floats per register.</summary>
    static abstract int Lanes { get; }

    /// <summary>
    /// The registers a micro-kernel may plan for: 32 with AVX-512 (EVEX encodes zmm/ymm/xmm 0-31), else 16.
    /// </summary>
    static abstract int Registers { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(float* source);

    /// <summary>Loads the first <paramref name="count"/> lanes (1 to <see cref="Lanes"/>); the rest read as zero and never fault.</summary>
    static abstract TVec LoadFirst(float* source, int count);

    static abstract void Store(float* destination, TVec value);

    /// <summary>Stores the first <paramref name="count"/> lanes (1 to <see cref="Lanes"/>) and nothing past them.</summary>
    static abstract void StoreFirst(float* destination, TVec value, int count);

    static abstract TVec Broadcast(float value);

    /// <summary><c>a * b + c</c>, fused where the hardware has FMA.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Divide(TVec a, TVec b);

    static abstract TVec Max(TVec a, TVec b);

    static abstract TVec Min(TVec a, TVec b);

    static abstract TVec Exp(TVec x);

    static abstract TVec Abs(TVec x);

    /// <summary>The magnitude of <paramref name="magnitude"/> with the sign of <paramref name="sign"/>.</summary>
    static abstract TVec CopySign(TVec magnitude, TVec sign);

    /// <summary>
    /// Lane <c>i</c> of the result is lane <c>indices[i]</c> of <paramref name="value"/>, the indices stored as int bits
    /// in a float register (the depthwise kernel spreads input channels over their multiplier's outputs with it).
    /// </summary>
    static abstract TVec Permute(TVec value, TVec indices);
}

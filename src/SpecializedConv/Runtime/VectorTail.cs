using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SpecializedConv.Simd;

namespace SpecializedConv.Runtime;

/// <summary>
/// Partial vector loads and stores for channel counts that are not a multiple of the vector width: only the first
/// <c>count</c> lanes are read or written, and nothing past them is touched (AVX-512 and AVX masked moves).
/// Generated code is safe C#, so it reaches masked moves through these; they pin the reference (a GC may run at any
/// instruction of a fully interruptible kernel) and still inline into the caller.
/// Called by generated layers; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class VectorTail
{
    /// <summary>Loads the first <paramref name="count"/> floats (1 to 16); the other lanes are zero.</summary>
    /// <param name="source">The first float.</param>
    /// <param name="count">Lanes to load.</param>
    /// <returns>The vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadFirst512(ref float source, int count)
    {
        fixed (float* pointer = &source)
        {
            return Width512.LoadFirst(pointer, count);
        }
    }

    /// <summary>Stores the first <paramref name="count"/> lanes (1 to 16) of <paramref name="value"/>.</summary>
    /// <param name="destination">The first float.</param>
    /// <param name="value">The vector.</param>
    /// <param name="count">Lanes to store.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst512(ref float destination, Vector512<float> value, int count)
    {
        fixed (float* pointer = &destination)
        {
            Width512.StoreFirst(pointer, value, count);
        }
    }

    /// <summary>Loads the first <paramref name="count"/> floats (1 to 8); the other lanes are zero.</summary>
    /// <param name="source">The first float.</param>
    /// <param name="count">Lanes to load.</param>
    /// <returns>The vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadFirst256(ref float source, int count)
    {
        fixed (float* pointer = &source)
        {
            return Width256.LoadFirst(pointer, count);
        }
    }

    /// <summary>Stores the first <paramref name="count"/> lanes (1 to 8) of <paramref name="value"/>.</summary>
    /// <param name="destination">The first float.</param>
    /// <param name="value">The vector.</param>
    /// <param name="count">Lanes to store.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst256(ref float destination, Vector256<float> value, int count)
    {
        fixed (float* pointer = &destination)
        {
            Width256.StoreFirst(pointer, value, count);
        }
    }

    /// <summary>Loads the first <paramref name="count"/> floats (1 to 4); the other lanes are zero.</summary>
    /// <param name="source">The first float.</param>
    /// <param name="count">Lanes to load.</param>
    /// <returns>The vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadFirst128(ref float source, int count)
    {
        fixed (float* pointer = &source)
        {
            return Width128.LoadFirst(pointer, count);
        }
    }

    /// <summary>Stores the first <paramref name="count"/> lanes (1 to 4) of <paramref name="value"/>.</summary>
    /// <param name="destination">The first float.</param>
    /// <param name="value">The vector.</param>
    /// <param name="count">Lanes to store.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst128(ref float destination, Vector128<float> value, int count)
    {
        fixed (float* pointer = &destination)
        {
            Width128.StoreFirst(pointer, value, count);
        }
    }

    /// <summary>
    /// The <see cref="Vector512{T}"/> of a row that starts <paramref name="shift"/> floats before <paramref name="rowStart"/>
    /// (0 to 15): lanes before the row read zero and nothing before it is touched.
    /// </summary>
    /// <param name="rowStart">The row's first float.</param>
    /// <param name="shift">How many lanes lie before the row.</param>
    /// <returns>The vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadShifted512(ref float rowStart, int shift) => LoadShifted512(ref rowStart, shift, 16 - shift);

    /// <summary>
    /// As <see cref="LoadShifted512(ref float, int)"/>, loading only the row's first <paramref name="count"/> floats (at
    /// most the lanes after the shift; fewer where the row is that short): nothing past them is touched either.
    /// </summary>
    /// <param name="rowStart">The row's first float.</param>
    /// <param name="shift">How many lanes lie before the row.</param>
    /// <param name="count">Floats in the row.</param>
    /// <returns>The vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadShifted512(ref float rowStart, int shift, int count) =>
        Vector512.Shuffle(LoadFirst512(ref rowStart, count), Vector512<int>.Indices - Vector512.Create(shift));

    /// <summary>As <see cref="LoadShifted512(ref float, int, int)"/>, 8 lanes.</summary>
    /// <param name="rowStart">The row's first float.</param>
    /// <param name="shift">How many lanes lie before the row.</param>
    /// <param name="count">Floats in the row.</param>
    /// <returns>The vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadShifted256(ref float rowStart, int shift, int count) =>
        Vector256.Shuffle(LoadFirst256(ref rowStart, count), Vector256<int>.Indices - Vector256.Create(shift));

    /// <summary>As <see cref="LoadShifted512(ref float, int, int)"/>, 4 lanes.</summary>
    /// <param name="rowStart">The row's first float.</param>
    /// <param name="shift">How many lanes lie before the row.</param>
    /// <param name="count">Floats in the row.</param>
    /// <returns>The vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadShifted128(ref float rowStart, int shift, int count) =>
        Vector128.Shuffle(LoadFirst128(ref rowStart, count), Vector128<int>.Indices - Vector128.Create(shift));

    /// <summary>As <see cref="LoadShifted512(ref float, int)"/>, 8 lanes.</summary>
    /// <param name="rowStart">The row's first float.</param>
    /// <param name="shift">How many lanes lie before the row.</param>
    /// <returns>The vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadShifted256(ref float rowStart, int shift) => LoadShifted256(ref rowStart, shift, 8 - shift);

    /// <summary>As <see cref="LoadShifted512(ref float, int)"/>, 4 lanes.</summary>
    /// <param name="rowStart">The row's first float.</param>
    /// <param name="shift">How many lanes lie before the row.</param>
    /// <returns>The vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadShifted128(ref float rowStart, int shift) => LoadShifted128(ref rowStart, shift, 4 - shift);
}

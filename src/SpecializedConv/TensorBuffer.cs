using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpecializedConv;

/// <summary>
/// Buffers for layer inputs and outputs whose first float starts a 64-byte cache line. A <c>float[]</c> starts at any
/// multiple of 8 bytes past a line (on one, once in eight), and then a vector load of a pixel's channels straddles two
/// lines: depthwise layers run up to 1.4 times faster on these buffers on Zen 4 (docs/performance.md, "Where the
/// caller's arrays lie").
/// </summary>
public static class TensorBuffer
{
    private const int LineFloats = 64 / sizeof(float);

    /// <summary>
    /// Allocates <paramref name="length"/> zeroed floats starting on a 64-byte line. The array behind them is pinned (on
    /// the pinned object heap), so they stay on the line: allocate buffers once and reuse them, as for the layers.
    /// </summary>
    /// <param name="length">Floats, for example a layer's <see cref="IConvLayer.InputLength"/>.</param>
    /// <returns>The floats; pass <c>.Span</c> to <see cref="IConvLayer.Forward"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative, or past the largest array
    /// less the line's worth of floats that aligning it may skip.</exception>
    public static Memory<float> Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength - LineFloats);
        var (array, lineStart) = AllocatePinned(length);
        return array.AsMemory(lineStart, length);
    }

    /// <summary>
    /// Pinned room for <paramref name="length"/> floats starting <paramref name="bytesApart"/> bytes past
    /// <paramref name="from"/> modulo 4 KiB: some kernels choose their order by where the output lies against the input
    /// (<see cref="Runtime.StoreAliasing"/>), and the warm-up and the tests place it. <paramref name="from"/> must be
    /// pinned too, so that the distance holds.
    /// </summary>
    /// <param name="from">The pinned floats to place against (an input).</param>
    /// <param name="length">Floats of the room.</param>
    /// <param name="bytesApart">Bytes past <paramref name="from"/> modulo 4 KiB, a multiple of 4.</param>
    /// <returns>The room, zeroed.</returns>
    internal static Span<float> AllocateApartFrom(ReadOnlySpan<float> from, int length, int bytesApart)
    {
        const int Page = 4096;
        Span<float> area = Allocate(length + (Page / sizeof(float))).Span;
        long apart = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(from), ref MemoryMarshal.GetReference(area));
        int skip = (int)((((bytesApart - apart) % Page) + Page) % Page) / sizeof(float);
        return area.Slice(skip, length);
    }

    /// <summary>
    /// A pinned array with room for <paramref name="length"/> floats from its first 64-byte line boundary, and the index
    /// of that boundary: what every line-aligned buffer of the library (packed weights, staging areas) is built on.
    /// </summary>
    /// <param name="length">Floats needed from the boundary.</param>
    /// <param name="zeroed">False to skip zeroing (an area the caller writes before it reads).</param>
    /// <returns>The array and the index of its first float on a line boundary.</returns>
    internal static (float[] Array, int LineStart) AllocatePinned(int length, bool zeroed = true)
    {
        float[] array = zeroed
            ? GC.AllocateArray<float>(length + LineFloats, pinned: true)
            : GC.AllocateUninitializedArray<float>(length + LineFloats, pinned: true);
        return (array, (LineFloats - Runtime.CacheLine.FloatOffset(ref array[0])) % LineFloats);
    }
}

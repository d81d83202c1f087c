using System;

namespace SpecializedConv;

/// <summary>
/// Buffers for layer inputs and outputs whose first float starts a 64-byte cache line. A <c>float[]</c> starts 8 or 16
/// bytes past one, so a vector load of a pixel's channels straddles two lines: depthwise layers run up to 1.4 times
/// faster on these buffers on Zen 4 (docs/performance.md, "Realigned loads").
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
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static Memory<float> Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        float[] array = GC.AllocateArray<float>(length + LineFloats, pinned: true);
        int lineStart = (LineFloats - Runtime.CacheLine.FloatOffset(ref array[0])) % LineFloats;
        return array.AsMemory(lineStart, length);
    }
}

using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace SpecializedConv.Runtime;

/// <summary>
/// Where a caller's output lies against its input modulo 4 KiB. A load whose address matches a pending store's in its
/// low 12 bits waits on that store (4K aliasing). At pixels a multiple of 1 KiB apart, channel <c>c</c> of every input
/// pixel and of every output pixel share those bits up to one offset, the output's distance from the input: when it is
/// small, every tile's loads wait on the stores of the tile before it, which wrote the same or the neighbouring channels.
/// Called by generated layers; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class StoreAliasing
{
    /// <summary>
    /// Whether groups of channel vectors walking down the rows should walk two at a time, each tile followed by its
    /// partner's (<paramref name="partnerBytes"/> further into the pixel), rather than one after the other: true when,
    /// modulo the span at which pixels alias, the output lies less than a group from the input (a tile's loads then
    /// overlap the stores of the tile above) and nearer than to the partner's channels.
    /// </summary>
    /// <param name="input">The input's first float, unpinned.</param>
    /// <param name="output">A float of the output a whole number of pixels from its start, unpinned.</param>
    /// <param name="pixelBytes">Bytes from one pixel to the next, input and output alike: a multiple of 1 KiB.</param>
    /// <param name="groupBytes">Bytes of one group's channels in a pixel.</param>
    /// <param name="partnerBytes">Bytes from a group's channels to its partner's.</param>
    /// <remarks>
    /// Neither array is pinned, so a garbage collection may move one of them afterwards: the answer then costs speed,
    /// never a result (the tiles compute each output the same way in either order).
    /// </remarks>
    public static bool PairGroups(ref float input, ref float output, int pixelBytes, int groupBytes, int partnerBytes)
    {
        int period = Period(pixelBytes), apart = Apart(ref input, ref output, period);
        int partner = partnerBytes % period, near = Distance(apart, 0, period);
        return near < groupBytes && near < Math.Min(Distance(apart, partner, period), Distance(apart, period - partner, period));
    }

    /// <summary>
    /// Whether the output starts less than <paramref name="window"/> bytes past the input, modulo the span at which
    /// pixels alias. One-vector tiles taking their vectors in order then load, in each tile, the lines the tile before
    /// has just stored to (its vector's neighbour, at the same low 12 address bits) and wait; they take them several
    /// apart instead. An output just before the input trails the loads and costs nothing.
    /// </summary>
    /// <param name="input">The input's first float, unpinned.</param>
    /// <param name="output">A float of the output a whole number of pixels from its start, unpinned.</param>
    /// <param name="pixelBytes">Bytes from one pixel to the next, input and output alike: a multiple of 1 KiB.</param>
    /// <param name="window">Bytes past the input that count.</param>
    public static bool OutputJustPast(ref float input, ref float output, int pixelBytes, int window)
    {
        int apart = Apart(ref input, ref output, Period(pixelBytes));
        return apart > 0 && apart < window;
    }

    /// <summary>Pixels a multiple of 1 KiB apart alias in the low 12 bits modulo the largest power of two dividing both.</summary>
    private static int Period(int pixelBytes) => Math.Min(4096, pixelBytes & -pixelBytes);

    /// <summary>Where the output lies past the input modulo <paramref name="period"/> bytes.</summary>
    private static int Apart(ref float input, ref float output, int period) =>
        (int)(((nuint)Unsafe.AsPointer(ref output) - (nuint)Unsafe.AsPointer(ref input)) % (nuint)period);

    /// <summary>How far apart two offsets lie on a circle of <paramref name="period"/> bytes.</summary>
    private static int Distance(int a, int b, int period)
    {
        int d = Math.Abs(a - b) % period;
        return Math.Min(d, period - d);
    }
}

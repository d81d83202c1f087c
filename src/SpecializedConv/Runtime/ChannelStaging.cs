using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SpecializedConv.Runtime;

/// <summary>
/// A per-thread staging area for depthwise layers whose pixels lie a multiple of 2 KiB apart (512 channels and
/// more): at that stride one channel vector of every pixel maps to one or two L1 sets, so a pass's input rows cannot
/// stay in L1 however few channels it takes, and loads from a user array that is not 64-byte aligned straddle two lines.
/// The generated kernel copies each pass's channels here, 64-byte aligned and at a pixel stride of an odd number of
/// cache lines (consecutive pixels then fall in different sets), and reads its input from the copy.
/// Called by generated layers; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ChannelStaging
{
    // One pinned array per thread: concurrent Forward calls each stage into their own, and the area costs nothing
    // per call once it has grown to the largest layer the thread runs.
    [ThreadStatic]
    private static ThreadArea t_area;

    /// <summary>A 64-byte-aligned area of at least <paramref name="length"/> floats owned by the calling thread.</summary>
    /// <param name="length">Floats needed.</param>
    /// <returns>The area's first float; it stays where it is (the array is pinned) until this thread asks for more.</returns>
    public static ref float Area(int length) => ref t_area.Get(length);

    /// <summary>
    /// Copies floats <c>[firstFloat, firstFloat + floatCount)</c> of pixels <c>[firstPixel, endPixel)</c> from
    /// <paramref name="source"/> (pixels <paramref name="sourceStride"/> floats apart) to the same pixels of
    /// <paramref name="destination"/> (pixels <paramref name="destinationStride"/> floats apart, from their first float).
    /// </summary>
    /// <param name="source">The input image's first float.</param>
    /// <param name="sourceStride">Floats per input pixel (its channels).</param>
    /// <param name="destination">The staging area's first float.</param>
    /// <param name="destinationStride">Floats per staged pixel.</param>
    /// <param name="firstPixel">First pixel (row x width + column) to copy.</param>
    /// <param name="endPixel">Pixel after the last to copy.</param>
    /// <param name="firstFloat">First channel of the pass.</param>
    /// <param name="floatCount">Channels of the pass, a multiple of 4 (the passes are whole vectors of 4, 8 or 16 lanes).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Stage(ref float source, nint sourceStride, ref float destination, nint destinationStride, nint firstPixel, nint endPixel, nint firstFloat, nint floatCount)
    {
        for (nint pixel = firstPixel; pixel < endPixel; pixel++)
        {
            ref float from = ref Unsafe.Add(ref source, (pixel * sourceStride) + firstFloat);
            ref float to = ref Unsafe.Add(ref destination, pixel * destinationStride);
            nint i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; i + 16 <= floatCount; i += 16)
                {
                    Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref from, (nuint)i), ref to, (nuint)i);
                }
            }

            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + 8 <= floatCount; i += 8)
                {
                    Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref from, (nuint)i), ref to, (nuint)i);
                }
            }

            for (; i + 4 <= floatCount; i += 4)
            {
                Vector128.StoreUnsafe(Vector128.LoadUnsafe(ref from, (nuint)i), ref to, (nuint)i);
            }

            for (; i < floatCount; i++)
            {
                Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
            }
        }
    }
}

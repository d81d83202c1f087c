using System;
using System.ComponentModel;

namespace SpecializedConv.Runtime;

/// <summary>
/// The per-thread band of depthwise rows a fused separable layer hands to its pointwise step: the depthwise step writes
/// a few rows of the intermediate image here and the pointwise step reads them while they are in cache. One area per
/// thread, apart from <see cref="ChannelStaging"/>'s (a staged depthwise step reads that one while writing this one),
/// so concurrent calls and the parts of a parallel call each use their own, and no call allocates once its thread has
/// run the layer. Called by generated layers and <see cref="SeparableConvLayer"/>; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SeparableBand
{
    [ThreadStatic]
    private static ThreadArea t_area;

    /// <summary>A 64-byte-aligned area of at least <paramref name="length"/> floats owned by the calling thread.</summary>
    /// <param name="length">Floats needed: the band's rows x the intermediate row's floats.</param>
    /// <returns>The area's first float; it stays where it is (the array is pinned) until this thread asks for more.</returns>
    public static ref float Area(int length) => ref t_area.Get(length);
}

using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpecializedConv.Runtime;

/// <summary>
/// The two loads of a shifted set's wrapping vector. On an input an even number of floats past a 64-byte line, a
/// strided depthwise layer's pixels read their channel vectors from <c>shift</c> floats in, on the line boundaries; the
/// one left over, the pixel's last <c>16 - shift</c> channels and its first <c>shift</c>, is blended from the aligned
/// vector that ends the pixel and the one before its first vector. Each reaches into a neighbouring pixel's floats,
/// which lie outside the caller's input before the image's first pixel and past its last: there these load the
/// pixel's own floats instead, rotated into the same lanes, so no load leaves the input.
/// Called by generated layers; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WrappedVector
{
    /// <summary>
    /// The 16 floats before <paramref name="first"/>, a pixel's first vector from <paramref name="shift"/>; at the
    /// image's first pixel, its own first 16 rotated so that lanes <c>16 - shift</c> and up hold the same channels.
    /// </summary>
    /// <param name="first">The pixel's float <paramref name="shift"/>.</param>
    /// <param name="shift">Floats from the pixel's start to its first line boundary: 2 to 14.</param>
    /// <param name="image">The image's first float.</param>
    /// <returns>The vector whose lanes <c>16 - shift</c> and up are the pixel's first <c>shift</c> channels.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Before(ref float first, nint shift, ref float image) =>
        Unsafe.AreSame(ref Unsafe.Subtract(ref first, shift), ref image)
            ? Rotate(Vector512.LoadUnsafe(ref image), shift)
            : Vector512.LoadUnsafe(ref Unsafe.Subtract(ref first, 16));

    /// <summary>
    /// The 16 floats from <paramref name="end"/>, a pixel's last line boundary; at the image's last pixel, its own last 16
    /// rotated so that lanes below <c>16 - shift</c> hold the same channels.
    /// </summary>
    /// <param name="end">The pixel's float <c>channels - 16 + shift</c>.</param>
    /// <param name="shift">Floats from the pixel's start to its first line boundary: 2 to 14.</param>
    /// <param name="imageEnd">The image's last 16 floats.</param>
    /// <returns>The vector whose lanes below <c>16 - shift</c> are the pixel's last <c>16 - shift</c> channels.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> End(ref float end, nint shift, ref float imageEnd) =>
        Unsafe.AreSame(ref Unsafe.Subtract(ref end, shift), ref imageEnd)
            ? Rotate(Vector512.LoadUnsafe(ref imageEnd), shift)
            : Vector512.LoadUnsafe(ref end);

    // Lane i takes lane (i + shift) mod 16: the pixel's floats move to where the loads across the boundary put them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Rotate(Vector512<float> value, nint shift) =>
        Avx512F.PermuteVar16x32(value, (Vector512<int>.Indices + Vector512.Create((int)shift)) & Vector512.Create(15));
}

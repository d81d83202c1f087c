using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace SpecializedConv.Runtime;

/// <summary>
/// Where a caller's array lies against the 64-byte cache lines. Generated code is safe C# and cannot take an address;
/// kernels whose loads would straddle two lines on an input off a line boundary (a <c>float[]</c> is 8-byte aligned)
/// ask here, and start their vectors at the line boundaries or load whole lines and shift the lanes into place.
/// Called by generated layers; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class CacheLine
{
    /// <summary>The floats from the start of the 64-byte line <paramref name="value"/> lies in to it: 0 to 15.</summary>
    /// <param name="value">A float of the caller's input, unpinned.</param>
    /// <returns>The offset, 0 on a line boundary.</returns>
    /// <remarks>
    /// The array is not pinned, so a garbage collection may move it afterwards and change the answer. Kernels use it only
    /// to choose which whole lines to load and how far to shift them, always by element offsets from the moving
    /// reference and always inside the span: a move costs them the alignment, never a wrong result.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FloatOffset(ref float value) => (int)((nuint)Unsafe.AsPointer(ref value) % 64 / sizeof(float));
}

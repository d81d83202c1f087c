namespace SpecializedConv.Runtime;

/// <summary>
/// A scratch area kept in a <c>[ThreadStatic]</c> field: one pinned, 64-byte-aligned array per thread that grows to the
/// largest request and is then reused by every call on that thread. Unlike a pooled array it is never taken back (a
/// Gen2 collection under memory pressure empties <c>ArrayPool</c>, and the next call would allocate again), and it
/// stays where it is, so kernels may hold a reference into it.
/// </summary>
internal struct ThreadArea
{
    private float[]? _array;
    private int _lineStart;

    /// <summary>At least <paramref name="length"/> floats from a line boundary, not zeroed (callers write before they read).</summary>
    /// <param name="length">Floats needed.</param>
    /// <returns>The area's first float; it stays where it is until this area is asked for more.</returns>
    public ref float Get(int length)
    {
        if (_array is null || _array.Length - _lineStart < length)
        {
            (_array, _lineStart) = TensorBuffer.AllocatePinned(length, zeroed: false);
        }

        return ref _array[_lineStart];
    }
}

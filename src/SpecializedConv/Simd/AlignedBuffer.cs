using System;

namespace SpecializedConv.Simd;

/// <summary>
/// Floats in a pinned array, the first one on a 64-byte boundary: packed weights are read with full-width vector
/// loads that never straddle a cache line, through a pointer that stays valid for the buffer's life.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private readonly float[] _array;
    private readonly int _offset;

    public AlignedBuffer(int length)
    {
        (_array, _offset) = TensorBuffer.AllocatePinned(length);
        Length = length;
    }

    public int Length { get; }

    /// <summary>The first float; valid while this object is alive (the array is pinned).</summary>
    public float* Pointer
    {
        get
        {
            fixed (float* start = _array)
            {
                return start + _offset;
            }
        }
    }

    public Span<float> Span => _array.AsSpan(_offset, Length);
}

using System;

namespace SpecializedConv.Benchmarks;

/// <summary>
/// Where our contenders' input and output start against the 64-byte cache lines. A new float[] starts at any multiple
/// of 8 bytes past a line, a different one in every run, and depthwise layers run up to 1.4x slower off a line than on
/// one (loads that straddle two lines). By default each call therefore moves the buffers' start 8 bytes further through
/// a line (the same memory, 8 placements in turn), so that a time is the mean over where a float[] may land, the same
/// in every run. <c>--line-offset F</c> fixes the start F floats past a line (0: on the line, as the peers' benchmarks
/// allocate).
/// </summary>
public static class Placement
{
    private const int LineFloats = 16, Placements = 8;

    /// <summary>Floats past a line boundary, 0 to 15; null to take every multiple of 8 bytes in turn.</summary>
    public static int? LineOffset { get; set; }

    /// <summary>What the quick mode's header says about the placement.</summary>
    public static string Describe() => LineOffset is { } fixedOffset
        ? $"Our layers' input and output start {fixedOffset * sizeof(float)} bytes past a 64-byte line"
        : "Our layers' input and output start 0, 8, ..., 56 bytes past a 64-byte line in turn, one placement a call, as a float[] may land (its times are the mean over them)";

    /// <summary>Floats past a line boundary for call number <paramref name="call"/>.</summary>
    public static int OffsetOfCall(long call) => LineOffset ?? (int)(call % Placements) * (LineFloats / Placements);

    /// <summary>
    /// Room for <paramref name="length"/> floats at any offset up to a line past a line boundary, from that boundary;
    /// <paramref name="values"/> (if given) copied to its start, the floats after them random too.
    /// </summary>
    public static Memory<float> Allocate(int length, ReadOnlySpan<float> values = default)
    {
        Memory<float> room = TensorBuffer.Allocate(length + LineFloats);
        values.CopyTo(room.Span);
        if (!values.IsEmpty)
        {
            var random = new Random(length);
            foreach (ref float value in room.Span[values.Length..])
            {
                value = (float)((random.NextDouble() * 2) - 1);
            }
        }

        return room;
    }
}

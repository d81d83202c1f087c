using System;

namespace SpecializedConv.Benchmarks;

/// <summary>
/// Where our contenders' input and output start against the 64-byte cache lines. A new float[] starts at any multiple
/// of 8 bytes past a line, a different one in every run, and depthwise layers run up to 1.4x slower off a line than on
/// one (loads that straddle two lines). By default the quick mode therefore moves the buffers to the next of the 8
/// placements (0, 8, ..., 56 bytes past a line) before each batch: over its rounds a layer is timed at every placement
/// a float[] may take, and the median is a typical one's time, the same in every run. (Moving them every call instead
/// measured slower than any fixed placement: ResNet-18's stem 2-5 %.) <c>--line-offset F</c> fixes the start F floats
/// past a line (0: on the line, as the peers' benchmarks allocate).
/// </summary>
public static class Placement
{
    private const int LineFloats = 16, Placements = 8;

    /// <summary>Floats past a line boundary, 0 to 15; null to take every multiple of 8 bytes in turn.</summary>
    public static int? LineOffset { get; set; }

    /// <summary>What the quick mode's header says about the placement.</summary>
    public static string Describe() => LineOffset is { } fixedOffset
        ? $"Our layers' input and output start {fixedOffset * sizeof(float)} bytes past a 64-byte line"
        : "Our layers' input and output start 0, 8, ..., 56 bytes past a 64-byte line, one placement a round in turn, as a float[] may land (the median is a typical placement's time)";

    /// <summary>Floats past a line boundary at placement number <paramref name="placement"/>.</summary>
    public static int Offset(int placement) => LineOffset ?? (placement % Placements) * (LineFloats / Placements);

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

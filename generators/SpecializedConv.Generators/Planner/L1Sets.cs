using System.Collections.Generic;
using System.Linq;

namespace SpecializedConv.Generators.Planner;

/// <summary>
/// Where a tile's memory falls in the L1 data cache. Zen 4's L1 is 32 KiB, 8 ways of 64 sets of 64-byte lines (Zen 5's
/// 48 KiB has 12 ways of the same sets): addresses 4 KiB apart share a set, and a tile whose loads and stores put more
/// lines in one set than it has ways evicts its own lines while it runs. Pixels a power-of-two number of bytes apart
/// crowd few sets (1 KiB: every pixel's vector in one of 4 sets), which is what makes the count matter.
/// </summary>
internal static class L1Sets
{
    /// <summary>Sets in the L1 data cache; the layout is the same on Zen 4 and Zen 5.</summary>
    public const int Sets = 64;

    /// <summary>Bytes in a cache line.</summary>
    public const int LineBytes = 64;

    /// <summary>The ways of the smaller L1 the kernels run on (Zen 4's 32 KiB).</summary>
    public const int Ways = 8;

    /// <summary>
    /// The lines one tile may put in a set: all ways but one, which the lines the tile reads besides (its weights and
    /// bias, the next tile's first loads) need too. At 8 a 14x14x1024 depthwise layer ran tiles of 7 pixels in 59 us;
    /// at 7, tiles of 6 in 52 us (Zen 4).
    /// </summary>
    public const int WaysForOneTile = Ways - 1;

    /// <summary>
    /// The most lines that map to one set among the accesses to several arrays, each array given by the byte offsets of
    /// its line-sized accesses from a line-aligned start: the arrays are taken as aligned alike, the worst case.
    /// </summary>
    public static int MostLinesInOneSet(params IEnumerable<long>[] arrays) =>
        arrays.SelectMany(offsets => offsets.Select(offset => offset / LineBytes).Distinct())
            .GroupBy(line => line % Sets)
            .Select(set => set.Count())
            .DefaultIfEmpty(0)
            .Max();
}

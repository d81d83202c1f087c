using System.Linq;
using SpecializedConv.Generators.Emitter;
using Xunit;

namespace SpecializedConv.Generators.Tests;

/// <summary>
/// The classes a direct tile's taps read through (<see cref="MatrixTile.ReadClasses"/>): reads disjoint within a class,
/// each class's base one of its own reads and no other class's, and no classes where they would not pay.
/// </summary>
public class ReadClassTests
{
    /// <summary>The floats each tap of a window reads at channel 0, for pixels along a row (the tiles' offsets).</summary>
    private static int[][] WindowReads(int kernelHeight, int kernelWidth, int pixels, int stride, int dilation, int channels, int rowFloats) =>
        Enumerable.Range(0, kernelHeight * kernelWidth)
            .Select(tap => Enumerable.Range(0, pixels)
                .Select(p => ((tap / kernelWidth) * dilation * rowFloats) + ((((tap % kernelWidth) * dilation) + (p * stride)) * channels))
                .ToArray())
            .ToArray();

    private static void AssertSound(int[][] reads, ReadClassPlan plan)
    {
        Assert.Equal(reads.Length, plan.ClassOf.Length);
        Assert.Equal(plan.Bases.Length, plan.Bases.Distinct().Count());
        for (int k = 0; k < plan.Bases.Length; k++)
        {
            int[] members = Enumerable.Range(0, reads.Length).Where(tap => plan.ClassOf[tap] == k).ToArray();
            int[] classReads = members.SelectMany(tap => reads[tap]).ToArray();
            Assert.Equal(classReads.Length, classReads.Distinct().Count());
            Assert.Contains(plan.Bases[k], classReads);
        }
    }

    [Theory]
    [InlineData(3, 3, 6, 1, 1, 3)] // a 3x3 window at stride 1: a row's three taps share columns
    [InlineData(3, 3, 9, 2, 1, 2)] // stride 2: taps 0 and 2 of a row share a column, tap 1 shares none
    [InlineData(7, 7, 6, 2, 1, 4)] // the ResNet stem
    [InlineData(3, 3, 8, 1, 2, 3)] // dilation 2
    [InlineData(5, 5, 6, 1, 1, 5)]
    public void Taps_that_share_reads_go_in_separate_classes(int kernelHeight, int kernelWidth, int pixels, int stride, int dilation, int classes)
    {
        int[][] reads = WindowReads(kernelHeight, kernelWidth, pixels, stride, dilation, channels: 64, rowFloats: 64 * 64);
        ReadClassPlan plan = Assert.IsType<ReadClassPlan>(MatrixTile.ReadClasses(reads));
        Assert.Equal(classes, plan.Bases.Length);
        AssertSound(reads, plan);
    }

    [Fact]
    public void Taps_that_share_no_read_keep_one_ref()
    {
        Assert.Null(MatrixTile.ReadClasses(WindowReads(1, 1, 9, 1, 1, 64, 64 * 14)));
        Assert.Null(MatrixTile.ReadClasses(WindowReads(7, 1, 6, 1, 1, 64, 64 * 14)));
    }

    [Fact]
    public void More_classes_than_registers_allow_keep_one_ref()
    {
        // A 1x9 row over 9 pixels at stride 1 would need 9 refs, each a register through the channel loop.
        Assert.Null(MatrixTile.ReadClasses(WindowReads(1, 9, 9, 1, 1, 64, 64 * 20)));
        Assert.NotNull(MatrixTile.ReadClasses(WindowReads(1, MatrixTile.MaxReadClasses, 9, 1, 1, 64, 64 * 20)));
    }

    [Fact]
    public void A_class_without_a_read_of_its_own_keeps_one_ref()
    {
        // Two taps that read only the same float: the second class has no base that is not the first's.
        Assert.Null(MatrixTile.ReadClasses([[0], [0]]));
    }

    [Fact]
    public void Edge_pixels_read_only_their_valid_taps()
    {
        // A whole-row tile: pixel 0 starts in the padding, so tap 0 is read by pixels 1.. only, at negative offsets from
        // pixel 0's first tap; every base is still a float some pixel reads.
        int[][] reads =
        [
            [0, 64, 128],
            [-64, 0, 64, 128],
            [0, 64, 128, 192],
        ];
        ReadClassPlan plan = Assert.IsType<ReadClassPlan>(MatrixTile.ReadClasses(reads));
        Assert.Equal(3, plan.Bases.Length);
        AssertSound(reads, plan);
    }
}

using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Xunit;
using static SpecializedConv.Generators.Tests.GeneratorHarness;

namespace SpecializedConv.Generators.Tests;

/// <summary>
/// The emitted code of representative layers against approved files in Snapshots/: a change to the emitter shows up
/// as a diff to review. To approve new output, run the tests with SPECIALIZEDCONV_ACCEPT_SNAPSHOTS=1 and read the diff.
/// </summary>
public class SnapshotTests
{
    public static TheoryData<string, string> Layers => new()
    {
        { "SeedStem", "[Conv2D(28, 28, 3, 32, 3, Stride = 2, Pad = 2, UseBias = false)]" },
        { "SeedDilated", "[Conv2D(32, 32, 3, 64, 3, Dilation = 2, Padding = Padding.Same)]" },
        { "SeedSeparable", "[SeparableConv2D(64, 64, 3, 64, 3, Padding = Padding.Same)]" },
        { "Depthwise", "[DepthwiseConv2D(14, 14, 40, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6)]" },
        { "DepthwiseManyChannels", "[DepthwiseConv2D(5, 9, 72, 3, Padding = Padding.Same, Activation = Activation.Sigmoid)]" },
        { "DepthwiseStridedGroups", "[DepthwiseConv2D(8, 8, 80, 3, Stride = 2, Padding = Padding.Same)]" },
        { "DepthwiseRealigned", "[DepthwiseConv2D(6, 5, 512, 3, Stride = 2, Padding = Padding.Same)]" },
        { "DepthwiseShifted", "[DepthwiseConv2D(5, 6, 64, 3, Padding = Padding.Same)]" },
        { "DepthwiseStaged", "[DepthwiseConv2D(4, 5, 512, 3, Padding = Padding.Same, Activation = Activation.Relu)]" },
        { "Pointwise", "[Conv2D(7, 7, 33, 150, 1, Activation = Activation.Silu)]" },
        { "Grouped", "[Conv2D(10, 10, 8, 12, 3, Groups = 4, PadTop = 0, PadBottom = 2, PadLeft = 1, PadRight = 1, Activation = Activation.LeakyRelu, ActivationAlpha = 0.2f)]" },
        { "LargeKernel", "[Conv2D(14, 14, 3, 8, 9, Padding = Padding.Same, Activation = Activation.HardSwish)]" },
        { "Delegating", "[SeparableConv2D(10, 10, 4, 16, 3, DepthMultiplier = 2, Padding = Padding.Same)]" },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Emitted_code_matches_the_approved_file(string name, string attribute)
    {
        var (_, sources, compiler) = Run(Layer(attribute, name, "Snapshots"));
        Assert.Empty(compiler.Errors());
        GeneratedSourceResult source = Assert.Single(sources);
        Assert.Equal($"Snapshots.{name}.g.cs", source.HintName);
        string actual = source.SourceText.ToString().ReplaceLineEndings("\n");

        string approved = Path.Combine(SnapshotFolder(), name + ".g.cs");
        if (Environment.GetEnvironmentVariable("SPECIALIZEDCONV_ACCEPT_SNAPSHOTS") == "1")
        {
            File.WriteAllText(approved, actual);
        }

        Assert.True(File.Exists(approved), $"no approved snapshot {approved}: run with SPECIALIZEDCONV_ACCEPT_SNAPSHOTS=1 and review it");
        string expected = File.ReadAllText(approved).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            File.WriteAllText(Path.ChangeExtension(approved, ".received.cs"), actual);
            int line = expected.Split('\n').Zip(actual.Split('\n')).TakeWhile(p => p.First == p.Second).Count() + 1;
            Assert.Fail($"{name}: the emitted code differs from {approved} from line {line}; see the .received.cs file next to it.");
        }
    }

    private static string SnapshotFolder([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Snapshots");
}

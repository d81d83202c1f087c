using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static SpecializedConv.Generators.Tests.GeneratorHarness;

namespace SpecializedConv.Generators.Tests;

/// <summary>The pipeline caches: unrelated edits reuse every step, an attribute edit regenerates only its class.</summary>
public class IncrementalTests
{
    private static readonly string[] Sources =
    [
        Layer("[Conv2D(28, 28, 3, 32, 3, Stride = 2, Pad = 2, UseBias = false)]", "Stem"),
        Layer("[DepthwiseConv2D(16, 16, 8, 3, Padding = Padding.Same)]", "Depthwise"),
        Layer("[SeparableConv2D(16, 16, 8, 16, 3, Padding = Padding.Same)]", "Separable"),
        "namespace App; public static class Helpers { public static int Twice(int x) => 2 * x; }",
    ];

    private static readonly string[] Steps = [ConvGenerator.Steps.Parse, ConvGenerator.Steps.Plan, ConvGenerator.Steps.Emit];

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        CSharpCompilation compilation = CreateCompilation(Sources);
        GeneratorDriver driver = Driver(track: true).RunGenerators(compilation);

        SyntaxTree helpers = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(helpers,
            CSharpSyntaxTree.ParseText("namespace App; public static class Helpers { public static int Thrice(int x) => 3 * x; }", Options, helpers.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in Steps)
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.Equal(3, outputs.Count);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
    }

    [Fact]
    public void Editing_an_attribute_argument_regenerates_only_that_class()
    {
        CSharpCompilation compilation = CreateCompilation(Sources);
        GeneratorDriver driver = Driver(track: true).RunGenerators(compilation);

        SyntaxTree stem = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(stem,
            CSharpSyntaxTree.ParseText(Layer("[Conv2D(28, 28, 3, 48, 3, Stride = 2, Pad = 2, UseBias = false)]", "Stem"), Options, stem.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var emitted = result.TrackedSteps[ConvGenerator.Steps.Emit].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(3, emitted.Count);
        Assert.Single(emitted, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(2, emitted.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains(result.GeneratedSources, s => s.HintName == "App.Stem.g.cs" && s.SourceText.ToString().Contains("public const int OutputChannels = 48;"));
    }

    [Fact]
    public void Moving_an_attribute_plans_and_emits_nothing_again_and_its_diagnostic_follows()
    {
        // The planner's informational diagnostic (a kernel too wide to specialize) is placed on the attribute: after
        // lines are added above it, it stands lower, while the plan and the source are reused.
        string wide = Layer("[Conv2D(4, 200, 2, 4, 2, KernelWidth = 80, Padding = Padding.Same)]", "Wide");
        CSharpCompilation compilation = CreateCompilation([.. Sources, wide]);
        GeneratorDriver driver = Driver(track: true).RunGenerators(compilation);
        int lineBefore = driver.GetRunResult().Diagnostics.Single(d => d.Id == "SCONV100").Location.GetLineSpan().StartLinePosition.Line;

        SyntaxTree tree = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText("// one\n// two\n// three\n" + wide, Options, tree.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in new[] { ConvGenerator.Steps.Plan, ConvGenerator.Steps.Emit })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.Equal(4, outputs.Count);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }

        Diagnostic moved = Assert.Single(result.Diagnostics, d => d.Id == "SCONV100");
        Assert.Equal(lineBefore + 3, moved.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("KernelWidth = 80", moved.Location.SourceTree!.GetText().ToString(moved.Location.SourceSpan));
    }

    [Fact]
    public void The_model_graph_holds_no_compilation_symbol_or_syntax()
    {
        GeneratorDriver driver = Driver(track: true).RunGenerators(CreateCompilation(Sources));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string step in Steps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object value, IncrementalStepRunReason _) in run.Outputs)
                {
                    AssertPlainData(value, new HashSet<object>(ReferenceEqualityComparer.Instance), step);
                }
            }
        }
    }

    private static void AssertPlainData(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is Compilation or ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Location or SyntaxToken,
            $"{path} holds a {value.GetType().Name}, which would pin the compilation in the cache");
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertPlainData(item, seen, $"{path}[{i++}]");
            }
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertPlainData(field.GetValue(value), seen, $"{path}.{field.Name}");
        }
    }
}

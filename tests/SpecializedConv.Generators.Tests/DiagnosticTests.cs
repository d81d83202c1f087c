using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SpecializedConv.Generators.Model;
using SpecializedConv.Generators.Parser;
using Xunit;
using static SpecializedConv.Generators.Tests.GeneratorHarness;

namespace SpecializedConv.Generators.Tests;

/// <summary>One test per diagnostic: its ID, the source text it points at, and what its message says.</summary>
public class DiagnosticTests
{
    private static Diagnostic Single(string id, params string[] sources)
    {
        var (generator, _, _) = Run(sources);
        return Assert.Single(generator, d => d.Id == id);
    }

    private static string At(Diagnostic diagnostic) => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);


    [Fact]
    public void SCONV001_class_not_partial()
    {
        Diagnostic d = Single("SCONV001", "using SpecializedConv; [Conv2D(8, 8, 3, 8, 3)] public class Stem { }");
        Assert.Equal("Stem", At(d));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("declare it 'partial class Stem'", d.GetMessage());
    }

    [Fact]
    public void SCONV002_enclosing_type_not_partial()
    {
        Diagnostic d = Single("SCONV002", "using SpecializedConv; public class Net { [Conv2D(8, 8, 3, 8, 3)] public partial class Stem { } }");
        Assert.Equal("Stem", At(d));
        Assert.Contains("nested in 'Net', which is not partial", d.GetMessage());
    }

    [Fact]
    public void SCONV003_generic_class()
    {
        Diagnostic d = Single("SCONV003", "using SpecializedConv; [Conv2D(8, 8, 3, 8, 3)] public partial class Stem<T> { }");
        Assert.Equal("Stem", At(d));
        Assert.Contains("generic", d.GetMessage());
    }

    [Fact]
    public void SCONV004_non_positive_setting_on_its_argument()
    {
        Diagnostic d = Single("SCONV004", Layer("[Conv2D(0, 28, 3, 32, 3)]"));
        Assert.Equal("0", At(d));
        Assert.Contains("The input height (InputHeight) must be at least 1, but is 0.", d.GetMessage());

        d = Single("SCONV004", Layer("[Conv2D(8, 8, 3, 8, 3, Stride = 1, StrideWidth = -2)]"));
        Assert.Equal("StrideWidth = -2", At(d));

        d = Single("SCONV004", Layer("[DepthwiseConv2D(8, 8, 3, 3, DepthMultiplier = 0)]"));
        Assert.Equal("DepthMultiplier = 0", At(d));
    }

    [Fact]
    public void SCONV005_empty_output_names_the_axis_and_the_numbers()
    {
        Diagnostic d = Single("SCONV005", Layer("[Conv2D(4, 9, 3, 8, 7)]"));
        Assert.Equal("7", At(d));
        Assert.Contains("The output height would be empty: the input height 4 plus padding 0 + 0 is smaller than the effective kernel height 7 (kernel 7, dilation 1).", d.GetMessage());

        d = Single("SCONV005", Layer("[Conv2D(9, 9, 3, 8, 3, KernelWidth = 4, DilationWidth = 3)]"));
        Assert.Equal("KernelWidth = 4", At(d));
        Assert.Contains("effective kernel width 10 (kernel 4, dilation 3)", d.GetMessage());
    }

    [Fact]
    public void SCONV006_channels_not_divisible_by_groups()
    {
        Diagnostic d = Single("SCONV006", Layer("[Conv2D(8, 8, 6, 8, 3, Groups = 4)]"));
        Assert.Equal("Groups = 4", At(d));
        Assert.Contains("The input channel count 6 is not divisible by Groups = 4", d.GetMessage());
    }

    [Fact]
    public void SCONV007_pads_with_explicit_same_or_valid()
    {
        Diagnostic d = Single("SCONV007", Layer("[Conv2D(8, 8, 3, 8, 3, Padding = Padding.Same, Pad = 1)]"));
        Assert.Equal("Padding = Padding.Same", At(d));
        Assert.Contains("Either remove the pads, or set Padding = Padding.Explicit", d.GetMessage());
    }

    [Fact]
    public void SCONV008_negative_pad()
    {
        Diagnostic d = Single("SCONV008", Layer("[Conv2D(8, 8, 3, 8, 3, PadLeft = -1)]"));
        Assert.Equal("PadLeft = -1", At(d));
        Assert.Contains("PadLeft must be zero or more, but is -1", d.GetMessage());
    }

    [Fact]
    public void SCONV009_two_convolution_attributes()
    {
        Diagnostic d = Single("SCONV009", "using SpecializedConv; [Conv2D(8, 8, 3, 8, 3)] [DepthwiseConv2D(8, 8, 3, 3)] public partial class Stem { }");
        Assert.Equal("DepthwiseConv2D(8, 8, 3, 3)", At(d));
        Assert.Contains("has both [Conv2D] and [DepthwiseConv2D]", d.GetMessage());
    }

    [Fact]
    public void SCONV010_undefined_value()
    {
        Diagnostic d = Single("SCONV010", Layer("[Conv2D(8, 8, 3, 8, 3, Activation = (Activation)42)]"));
        Assert.Equal("Activation = (Activation)42", At(d));
        Assert.Contains("Activation value 42 is not defined", d.GetMessage());

        d = Single("SCONV010", Layer("[Conv2D(8, 8, 3, 8, 3, ActivationAlpha = float.NaN)]"));
        Assert.Equal("ActivationAlpha = float.NaN", At(d));
    }

    [Fact]
    public void SCONV011_too_large()
    {
        // On the argument at fault: the input on its height, the output and the weights on the output channels, the
        // pads, the dilation.
        var (generator, _, _) = Run(Layer("[Conv2D(100000, 100000, 3, 8, 3)]"));
        Diagnostic[] both = generator.Where(d => d.Id == "SCONV011").ToArray();
        Assert.Equal(2, both.Length);
        Assert.Contains("The input of one image would hold 30000000000 floats, more than a span can index", both[0].GetMessage());
        Assert.Equal("100000", At(both[0]));
        Assert.Contains("The output of one image would hold", both[1].GetMessage());
        Assert.Equal("8", At(both[1]));

        Diagnostic d;
        d = Single("SCONV011", Layer("[Conv2D(1, 1, 65536, 65537, 1)]"));
        Assert.Contains("The weight of one image would hold 4295032832 floats", d.GetMessage());
        Assert.Equal("65537", At(d));

        d = Single("SCONV011", Layer("[Conv2D(3, 3, 1, 1, 1, PadTop = int.MaxValue, PadBottom = int.MaxValue)]"));
        Assert.Equal("PadTop = int.MaxValue", At(d));
        Assert.Contains("padded input would span 4294967297 pixels", d.GetMessage());

        d = Single("SCONV011", Layer("[Conv2D(8, 8, 1, 1, 3, Dilation = 1 << 30, Padding = Padding.Same)]"));
        Assert.Equal("Dilation = 1 << 30", At(d));
        Assert.Contains("Use a smaller dilation or kernel.", d.GetMessage());
    }

    [Fact]
    public void SCONV005_a_dilation_whose_product_wraps_an_int()
    {
        // (5 - 1) x 2^30 + 1 wraps to 1 in 32 bits: it was taken for a kernel that fits.
        Diagnostic d = Single("SCONV005", Layer("[Conv2D(8, 8, 3, 8, 5, Dilation = 1 << 30)]"));
        Assert.Equal("5", At(d));
        Assert.Contains("effective kernel height 4294967297", d.GetMessage());
    }

    [Fact]
    public void SCONV011_the_separable_pointwise_step_too_large()
    {
        // The pointwise step's weights (channels x output channels) and output were not checked: they wrapped into a
        // negative weight count or an empty output.
        Diagnostic d = Single("SCONV011", Layer("[SeparableConv2D(1, 1, 50000, 50001, 1)]"));
        Assert.Contains("The weight of one image would hold 2500050000 floats", d.GetMessage());
        Assert.Equal("50001", At(d));
    }

    [Fact]
    public void SCONV012_static_class()
    {
        Diagnostic d = Single("SCONV012", "using SpecializedConv; [Conv2D(8, 8, 3, 8, 3)] public static partial class Stem { }");
        Assert.Equal("Stem", At(d));
        Assert.Contains("remove 'static'", d.GetMessage());
    }

    [Fact]
    public void SCONV013_a_member_the_generator_adds()
    {
        // Without it, the generated part failed to compile (CS0102, CS0111, CS0542).
        Diagnostic d = Single("SCONV013", "using SpecializedConv; [Conv2D(8, 8, 3, 8, 3)] public partial class Stem { public int InputLength => 3; }");
        Assert.Equal("InputLength", At(d));
        Assert.Contains("'Stem' declares 'InputLength', which the generated layer defines: rename or remove it", d.GetMessage());

        d = Single("SCONV013", "using System; using SpecializedConv; [Conv2D(8, 8, 3, 8, 3)] public partial class Stem { public void Forward(ReadOnlySpan<float> x, Span<float> y) { } }");
        Assert.Equal("Forward", At(d));
        Assert.Contains("'Forward' taking (System.ReadOnlySpan<float>, System.Span<float>)", d.GetMessage());

        d = Single("SCONV013", "using System; using SpecializedConv; [DepthwiseConv2D(8, 8, 3, 3)] public partial class Stem { public Stem(ReadOnlySpan<float> a, ReadOnlySpan<float> b) { } }");
        Assert.Contains("a constructor taking (System.ReadOnlySpan<float>, System.ReadOnlySpan<float>)", d.GetMessage());

        d = Single("SCONV013", "using SpecializedConv; [Conv2D(8, 8, 3, 8, 3)] public partial class Spec { }");
        Assert.Equal("Spec", At(d));
        Assert.Contains("its own name, 'Spec'", d.GetMessage());

        // Other overloads of Forward, and the names a separable layer does not add, are the class's to use.
        var (generator, _, compiler) = Run("using SpecializedConv; [SeparableConv2D(8, 8, 3, 8, 3)] public partial class Sep { public int WeightLength => 1; public Spec Spec => null!; public void Forward(float[] x) { } } public class Spec { }");
        Assert.Empty(generator);
        Assert.Empty(compiler.Errors());
    }

    [Theory]
    [InlineData("[Conv2D(8, 8, 3, 8, 3)]", (int)LayerKind.Conv2D)]
    [InlineData("[DepthwiseConv2D(8, 8, 16, 3)]", (int)LayerKind.DepthwiseConv2D)]
    [InlineData("[SeparableConv2D(8, 8, 16, 8, 3)]", (int)LayerKind.SeparableConv2D)]
    public void SCONV013_names_exactly_the_members_the_emitter_adds(string attribute, int kind)
    {
        // The parser's list of the names it reserves is the emitter's contract written again: both must stay one list.
        // Specialized, and delegating to the runtime (the planner made to fail), which adds _runtime instead.
        var added = new System.Collections.Generic.HashSet<string>();
        foreach (bool delegating in new[] { false, true })
        {
            TestHooks.FailOn = delegating ? "Layer" : null;
            try
            {
                Driver().RunGeneratorsAndUpdateCompilation(CreateCompilation(Layer(attribute)), out Compilation output, out _);
                added.UnionWith(output.GetTypeByMetadataName("App.Layer")!.GetMembers()
                    .Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { AssociatedSymbol: not null } && m.Name.IndexOf('.') < 0 && m.Name is not ".ctor" and not "Forward")
                    .Select(m => m.Name));
            }
            finally
            {
                TestHooks.FailOn = null;
            }
        }

        Assert.Equal(added.OrderBy(n => n, System.StringComparer.Ordinal), LayerParser.GeneratedMemberNames((LayerKind)kind).OrderBy(n => n, System.StringComparer.Ordinal));
    }

    [Fact]
    public void SCONV014_a_constructor_the_generator_cannot_add()
    {
        Diagnostic d = Single("SCONV014", "using SpecializedConv; [Conv2D(8, 8, 3, 8, 3)] public partial class Stem(int id) { }");
        Assert.Equal("Stem", At(d));
        Assert.Contains("'Stem' has a primary constructor: the generator adds the constructor that packs the weights, so remove its parameter list", d.GetMessage());

        d = Single("SCONV014", "using SpecializedConv; public class Base { public Base(int id) { } } [Conv2D(8, 8, 3, 8, 3)] public partial class Stem : Base { }");
        Assert.Contains("derives from 'Base', which has no constructor without arguments it can call", d.GetMessage());

        var (generator, _, compiler) = Run("using SpecializedConv; public abstract class Base { protected Base(int id = 0) { } } [Conv2D(8, 8, 3, 8, 3)] public partial class Stem : Base { }");
        Assert.Empty(generator);
        Assert.Empty(compiler.Errors());
    }

    [Fact]
    public void SCONV015_file_local_class()
    {
        Diagnostic d = Single("SCONV015", "using SpecializedConv; [Conv2D(8, 8, 3, 8, 3)] file partial class Stem { }");
        Assert.Equal("Stem", At(d));
        Assert.Contains("remove 'file'", d.GetMessage());
    }

    [Fact]
    public void A_class_and_namespace_named_by_keywords_compile()
    {
        var (generator, sources, compiler) = Run(Layer("[Conv2D(8, 8, 3, 8, 3)]", "@event", "@class.@namespace"));
        Assert.Empty(generator);
        Assert.Contains("partial class @event", sources.Single().SourceText.ToString());
        Assert.Empty(compiler.Errors());
    }

    [Fact]
    public void SCONV100_a_kernel_too_wide_delegates_and_still_compiles()
    {
        var (generator, sources, compiler) = Run(Layer("[Conv2D(4, 200, 2, 4, 2, KernelWidth = 80, Padding = Padding.Same)]"));
        Diagnostic d = Assert.Single(generator);
        Assert.Equal("SCONV100", d.Id);
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Contains("Conv2D(4, 200, 2, 4, 2, KernelWidth = 80, Padding = Padding.Same)", At(d));
        Assert.Contains("one kernel row of 80 taps unrolled in a register tile would take about", d.GetMessage());
        Assert.Contains("over the code-size budget of 24000 per kernel method", d.GetMessage());
        Assert.Contains("delegates to the runtime kernel", sources.Single().SourceText.ToString());
        Assert.Empty(compiler.Errors());
    }

    [Fact]
    public void SCONV100_a_separable_layer_with_a_multiplier_its_depthwise_step_cannot_take_delegates()
    {
        Diagnostic d = Single("SCONV100", Layer("[SeparableConv2D(10, 10, 4, 16, 3, DepthMultiplier = 2)]"));
        Assert.Contains("depth multipliers 1, 2 and 4 (2 and 4 where channels x multiplier is a multiple of 16), not 2 on 4 channels", d.GetMessage());
        Assert.Contains("not 3 on 16 channels", Single("SCONV100", Layer("[SeparableConv2D(10, 10, 16, 16, 3, DepthMultiplier = 3)]")).GetMessage());
    }

    [Fact]
    public void SCONV101_a_generator_failure_is_a_warning_and_the_class_still_compiles()
    {
        TestHooks.FailOn = "Broken";
        try
        {
            var (generator, sources, compiler) = Run(Layer("[Conv2D(8, 8, 3, 8, 3)]", "Broken"));
            Diagnostic d = Assert.Single(generator);
            Assert.Equal("SCONV101", d.Id);
            Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
            Assert.Contains("InvalidOperationException: failure injected by a test", d.GetMessage());
            Assert.Contains("_runtime = new global::SpecializedConv.ConvLayer", sources.Single().SourceText.ToString());
            Assert.Empty(compiler.Errors());
        }
        finally
        {
            TestHooks.FailOn = null;
        }
    }

    [Fact]
    public void Arguments_the_compiler_rejects_produce_no_generator_diagnostic_and_no_crash()
    {
        var (generator, sources, compiler) = Run(Layer("[Conv2D(\"8\", 8, 3, 8, 3)]"));
        Assert.Empty(generator);
        Assert.Empty(sources);
        Assert.Contains(compiler, d => d.Id == "CS1503");
    }

    [Fact]
    public void Diagnostics_sit_in_the_users_syntax_tree_where_pragmas_apply()
    {
        CSharpCompilation compilation = CreateCompilation(Layer("[Conv2D(4, 200, 2, 4, 2, KernelWidth = 80, Padding = Padding.Same)]"));
        Driver().RunGeneratorsAndUpdateCompilation(compilation, out _, out var generatorDiagnostics);
        Diagnostic d = Assert.Single(generatorDiagnostics);
        Assert.Same(compilation.SyntaxTrees.Single(), d.Location.SourceTree);
    }

    [Fact]
    public void Every_descriptor_is_documented_and_tracked()
    {
        string root = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.AppContext.BaseDirectory, "../../../../.."));
        string docs = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "docs/diagnostics.md"));
        string releases = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "generators/SpecializedConv.Generators/AnalyzerReleases.Unshipped.md"));
        foreach (string id in typeof(Diagnostics.DiagnosticDescriptors).GetFields().Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>().Select(d => d.Id))
        {
            Assert.Contains($"| {id} |", docs);
            Assert.Contains($"{id} |", releases);
        }
    }
}

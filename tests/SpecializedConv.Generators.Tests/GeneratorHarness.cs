using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SpecializedConv.Generators.Tests;

/// <summary>Runs the generator in memory on user source, as the compiler would, with .NET 10's reference assemblies (no network).</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions Options = new(LanguageVersion.Preview);

    public static CSharpCompilation CreateCompilation(params string[] sources) => CSharpCompilation.Create(
        "UserAssembly",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, Options, path: $"/src/Layer{i}.cs")),
        [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(ConvSpec).Assembly.Location)],
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(bool track = false) => CSharpGeneratorDriver.Create(
        [new ConvGenerator().AsSourceGenerator()],
        parseOptions: Options,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>The generator's diagnostics and sources, and the compiler's diagnostics on the result.</summary>
    public static (ImmutableArray<Diagnostic> Generator, ImmutableArray<GeneratedSourceResult> Sources, ImmutableArray<Diagnostic> Compiler) Run(params string[] sources)
    {
        CSharpCompilation compilation = CreateCompilation(sources);
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("the generator threw", result.Exception);
        }

        return (generatorDiagnostics, result.GeneratedSources, output.GetDiagnostics());
    }

    public static string Layer(string attribute, string name = "Layer", string ns = "App") =>
        $$"""
        using SpecializedConv;

        namespace {{ns}};

        {{attribute}}
        public partial class {{name}} { }
        """;

    public static IEnumerable<Diagnostic> Errors(this IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning);
}

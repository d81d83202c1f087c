using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SpecializedConv.Generators.Diagnostics;
using SpecializedConv.Generators.Emitter;
using SpecializedConv.Generators.Model;
using SpecializedConv.Generators.Parser;
using SpecializedConv.Generators.Planner;

namespace SpecializedConv.Generators;

/// <summary>
/// Emits a shape-specialized kernel into every partial class marked with <c>[Conv2D]</c>, <c>[DepthwiseConv2D]</c> or
/// <c>[SeparableConv2D]</c>: Parser (attribute to equatable model and diagnostics), Planner (model to kernel plan),
/// Emitter (plan to C#), each a tracked step of an incremental pipeline per attribute.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ConvGenerator : IIncrementalGenerator
{
    /// <summary>The pipeline steps' tracking names, for the incremental-caching tests.</summary>
    public static class Steps
    {
        /// <summary>The attribute read into a model.</summary>
        public const string Parse = "Parse";

        /// <summary>The model turned into a plan.</summary>
        public const string Plan = "Plan";

        /// <summary>The plan written as C#.</summary>
        public const string Emit = "Emit";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        foreach (LayerKind kind in new[] { LayerKind.Conv2D, LayerKind.DepthwiseConv2D, LayerKind.SeparableConv2D })
        {
            IncrementalValuesProvider<LayerModel> models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    LayerParser.AttributeName(kind),
                    static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                    (syntax, cancellationToken) => ParseSafely(syntax, kind, cancellationToken))
                .Where(static model => model is not null)
                .Select(static (model, _) => model!)
                .WithTrackingName(Steps.Parse);

            // The planner and the emitter see the layer without where its attribute stands: an edit that only moves it
            // (a line added above it) plans and writes nothing again. Their diagnostics leave without a location and
            // get the attribute's at reporting.
            IncrementalValuesProvider<LayerOutput> outputs = models
                .Where(static model => model.IsValid)
                .Select(static (model, _) => model with { Location = null })
                .Select(static (model, _) => PlanSafely(model))
                .WithTrackingName(Steps.Plan)
                .Select(static (outcome, _) => EmitSafely(outcome))
                .WithTrackingName(Steps.Emit);

            // Source and diagnostics leave through separate outputs: reporting never depends on the text. Diagnostics
            // are placed back in the compilation's syntax trees (cheap, after every cached step) so pragmas apply.
            context.RegisterSourceOutput(outputs, static (spc, output) => spc.AddSource(output.HintName, output.Source));
            IncrementalValueProvider<ImmutableArray<LayerModel>> parsed = models.Collect();
            IncrementalValueProvider<ImmutableArray<LayerOutput>> planned = outputs.Where(static o => o.Diagnostics.Count > 0).Collect();
            context.RegisterSourceOutput(parsed.Combine(planned).Combine(context.CompilationProvider), static (spc, input) =>
            {
                var ((layers, plans), compilation) = input;
                foreach (LayerModel layer in layers)
                {
                    foreach (DiagnosticInfo diagnostic in layer.Diagnostics)
                    {
                        spc.ReportDiagnostic(diagnostic.ToDiagnostic(compilation));
                    }

                    foreach (LayerOutput plan in plans)
                    {
                        if (plan.Type == layer.Type)
                        {
                            foreach (DiagnosticInfo diagnostic in plan.Diagnostics)
                            {
                                spc.ReportDiagnostic((diagnostic with { Location = diagnostic.Location ?? layer.Location }).ToDiagnostic(compilation));
                            }
                        }
                    }
                }
            });
        }
    }

    private static LayerModel? ParseSafely(GeneratorAttributeSyntaxContext syntax, LayerKind kind, CancellationToken cancellationToken)
    {
        try
        {
            return LayerParser.Parse(syntax, kind, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing can be generated without the settings; say so rather than break the build.
            string name = syntax.TargetSymbol.Name;
            var location = LocationInfo.From(syntax.TargetNode.GetLocation());
            return new LayerModel(new TypeModel("", "class", name, EquatableArray<ContainingType>.Empty, name), kind, null,
                new[] { DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, name, Describe(e)) }.ToEquatableArray(), location);
        }
    }

    /// <summary>Plans a valid layer; a failure of the planner becomes a delegation to the runtime with a warning.</summary>
    private static PlanOutcome PlanSafely(LayerModel model)
    {
        try
        {
            TestHooks.FailIfAsked(model.Type.Name);
            LayerPlan plan = LayerPlanner.Plan(model);
            return new PlanOutcome(model, plan, plan.Diagnostics);
        }
        catch (Exception e)
        {
            return InternalFailure(model, e);
        }
    }

    private static LayerOutput EmitSafely(PlanOutcome outcome)
    {
        string hintName = LayerEmitter.HintName(outcome.Model.Type);
        try
        {
            return new LayerOutput(outcome.Model.Type, hintName, LayerEmitter.Emit(outcome.Plan), outcome.Diagnostics);
        }
        catch (Exception e)
        {
            PlanOutcome fallback = InternalFailure(outcome.Model, e);
            return new LayerOutput(outcome.Model.Type, hintName, LayerEmitter.Emit(fallback.Plan), fallback.Diagnostics);
        }
    }

    /// <summary>A delegation to the runtime kernel, which needs only the settings, and a warning with what went wrong.</summary>
    private static PlanOutcome InternalFailure(LayerModel model, Exception e)
    {
        LayerPlan plan = LayerPlanner.Geometry(model, "the generator failed on it");
        var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, model.Location, model.Type.Name, Describe(e));
        return new PlanOutcome(model, plan with { Diagnostics = new[] { diagnostic }.ToEquatableArray() }, new[] { diagnostic }.ToEquatableArray());
    }

    private static string Describe(Exception e) => string.Format(CultureInfo.InvariantCulture, "{0}: {1}", e.GetType().Name, e.Message);

    /// <summary>A valid layer after planning, and the planner's diagnostics (without a location: the attribute's is added at reporting).</summary>
    private sealed record PlanOutcome(LayerModel Model, LayerPlan Plan, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>What a valid layer contributes to the compilation: a source file, and the diagnostics of its planning.</summary>
    private sealed record LayerOutput(TypeModel Type, string HintName, string Source, EquatableArray<DiagnosticInfo> Diagnostics);
}

using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using SpecializedConv.Geometry;

namespace SpecializedConv.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. Each is documented in docs/diagnostics.md and listed in
/// AnalyzerReleases.Unshipped.md; messages say what to change.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "SpecializedConv";

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        "SCONV001", "A layer class must be partial",
        "'{0}' has [{1}] but is not partial: declare it 'partial class {0}' so the generator can add the layer to it");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "SCONV002", "The types enclosing a layer class must be partial",
        "'{0}' is nested in '{1}', which is not partial: declare every enclosing type 'partial'");

    public static readonly DiagnosticDescriptor GenericClass = Error(
        "SCONV003", "A layer class cannot be generic",
        "'{0}' is generic or nested in a generic type: a specialized layer has one fixed shape, so declare it in a non-generic class");

    public static readonly DiagnosticDescriptor NotPositive = Error(
        "SCONV004", "Sizes, channels, kernel, stride, dilation, groups and multiplier must be at least 1",
        "{0}");

    public static readonly DiagnosticDescriptor EmptyOutput = Error(
        "SCONV005", "The output would have no pixels",
        "{0}");

    public static readonly DiagnosticDescriptor ChannelsNotDivisibleByGroups = Error(
        "SCONV006", "Channels must be divisible by the group count",
        "{0}");

    public static readonly DiagnosticDescriptor PadsWithoutExplicitPadding = Error(
        "SCONV007", "Pads need Padding.Explicit",
        "{0}");

    public static readonly DiagnosticDescriptor NegativePad = Error(
        "SCONV008", "Pads cannot be negative",
        "{0}");

    public static readonly DiagnosticDescriptor TwoConvolutionAttributes = Error(
        "SCONV009", "A class declares one layer",
        "'{0}' has both [{1}] and [{2}]: a class declares one layer, so move [{2}] to a class of its own");

    public static readonly DiagnosticDescriptor InvalidValue = Error(
        "SCONV010", "A setting has an undefined value",
        "{0}");

    public static readonly DiagnosticDescriptor TooLarge = Error(
        "SCONV011", "The layer is too large",
        "{0}");

    public static readonly DiagnosticDescriptor StaticClass = Error(
        "SCONV012", "A layer class cannot be static",
        "'{0}' is static: a layer is an instance that holds its packed weights, so remove 'static'");

    public static readonly DiagnosticDescriptor MemberNameTaken = Error(
        "SCONV013", "A layer class cannot declare the members the generator adds",
        "'{0}' declares {1}, which the generated layer defines: rename or remove it");

    public static readonly DiagnosticDescriptor ConstructorNotPossible = Error(
        "SCONV014", "The generated constructor must be possible",
        "'{0}' {1}: the generator adds the constructor that packs the weights, so {2}");

    public static readonly DiagnosticDescriptor FileLocalClass = Error(
        "SCONV015", "A layer class cannot be file-local",
        "'{0}' is file-local or nested in a file-local type: the generator adds the layer in a file of its own, so remove 'file'");

    public static readonly DiagnosticDescriptor RuntimeFallback = new(
        "SCONV100", "The layer runs on the runtime kernel",
        "'{0}' is not specialized and delegates to the runtime layer (ConvLayer, or SeparableConvLayer for a separable layer): {1}",
        Category, DiagnosticSeverity.Info, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InternalError = new(
        "SCONV101", "The generator failed on a layer",
        "The SpecializedConv generator failed on '{0}' ({1}); the class delegates to the runtime layer (ConvLayer or SeparableConvLayer) and still works. Please report this with the attribute that caused it.",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    private static readonly Dictionary<string, DiagnosticDescriptor> All = Index(
        ClassNotPartial, ContainingTypeNotPartial, GenericClass, NotPositive, EmptyOutput, ChannelsNotDivisibleByGroups,
        PadsWithoutExplicitPadding, NegativePad, TwoConvolutionAttributes, InvalidValue, TooLarge, StaticClass, MemberNameTaken,
        ConstructorNotPossible, FileLocalClass, RuntimeFallback, InternalError);

    public static DiagnosticDescriptor ById(string id) => All[id];

    /// <summary>The descriptor for a problem found by the geometry shared with the runtime.</summary>
    public static DiagnosticDescriptor For(ConvProblemKind kind) => kind switch
    {
        ConvProblemKind.NotPositive => NotPositive,
        ConvProblemKind.NegativePad => NegativePad,
        ConvProblemKind.EmptyOutput => EmptyOutput,
        ConvProblemKind.ChannelsNotDivisibleByGroups => ChannelsNotDivisibleByGroups,
        ConvProblemKind.PadsWithoutExplicitPadding => PadsWithoutExplicitPadding,
        ConvProblemKind.TooLarge => TooLarge,
        _ => InvalidValue,
    };

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static Dictionary<string, DiagnosticDescriptor> Index(params DiagnosticDescriptor[] descriptors)
    {
        var index = new Dictionary<string, DiagnosticDescriptor>();
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            index.Add(descriptor.Id, descriptor);
        }

        return index;
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SpecializedConv.Generators.Diagnostics;
using SpecializedConv.Generators.Model;
using SpecializedConv.Geometry;

namespace SpecializedConv.Generators.Parser;

/// <summary>
/// Reads one attributed class into a <see cref="LayerModel"/>: the class's declaration, the attribute's settings
/// resolved (per-axis over square, defaults), and every problem as a diagnostic on the argument at fault. Runs in
/// the pipeline's transform, so it keeps nothing of the compilation.
/// </summary>
internal static class LayerParser
{
    public const string Namespace = "SpecializedConv";
    public const string Conv2DAttribute = Namespace + ".Conv2DAttribute";
    public const string DepthwiseConv2DAttribute = Namespace + ".DepthwiseConv2DAttribute";
    public const string SeparableConv2DAttribute = Namespace + ".SeparableConv2DAttribute";

    private static readonly string[] AttributeNames = [Conv2DAttribute, DepthwiseConv2DAttribute, SeparableConv2DAttribute];

    public static string AttributeName(LayerKind kind) => kind switch
    {
        LayerKind.Conv2D => Conv2DAttribute,
        LayerKind.DepthwiseConv2D => DepthwiseConv2DAttribute,
        _ => SeparableConv2DAttribute,
    };

    /// <summary>The model, or null when the attribute's arguments do not bind (the compiler already reports that).</summary>
    public static LayerModel? Parse(GeneratorAttributeSyntaxContext context, LayerKind kind, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration || context.Attributes.Length == 0)
        {
            return null;
        }

        AttributeData attribute = context.Attributes[0];
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        LocationInfo? attributeLocation = LocationInfo.From(syntax?.GetLocation() ?? declaration.Identifier.GetLocation());
        LocationInfo? classLocation = LocationInfo.From(declaration.Identifier.GetLocation());
        TypeModel typeModel = ReadType(type, declaration, cancellationToken);
        string shortName = ShortName(kind);

        var diagnostics = new List<DiagnosticInfo>();

        // One layer per class: the first convolution attribute in source order wins, the others are errors.
        AttributeData? first = type.GetAttributes().FirstOrDefault(a => Array.IndexOf(AttributeNames, a.AttributeClass?.ToDisplayString()) >= 0);
        if (first is not null && !SameAttribute(first, attribute))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TwoConvolutionAttributes, attributeLocation,
                type.Name, ShortName(first.AttributeClass!.ToDisplayString()), shortName));
            return new LayerModel(typeModel, kind, null, diagnostics.ToEquatableArray(), attributeLocation);
        }

        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, classLocation, type.Name, shortName));
        }

        if (type.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticClass, classLocation, type.Name));
        }

        CheckRoomForLayer(type, kind, classLocation, diagnostics, cancellationToken);

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeParameters.Length > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericClass, classLocation, type.Name));
                break;
            }
        }

        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (!outer.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, classLocation, type.Name, outer.Name));
            }
        }

        if (!TryReadShape(attribute, kind, out ShapeModel? shape, out IReadOnlyDictionary<string, object?> given))
        {
            return null;
        }

        // The geometry shared with the runtime decides what is valid; each problem goes on the argument at fault.
        var arguments = new ArgumentLocator(syntax, kind, attributeLocation);
        ConvShape depthwiseShape = shape.ToConvShape(kind);
        var problems = new List<ConvProblem>(ConvGeometry.Validate(depthwiseShape));
        if (kind == LayerKind.SeparableConv2D && problems.Count == 0)
        {
            // The pointwise step, on the depthwise step's whole output: its one setting of its own is its output channel
            // count, which every problem of this step comes down to (its weights and output grow with it).
            foreach (ConvProblem problem in ConvGeometry.Validate(new ConvShape
            {
                InputHeight = depthwiseShape.Height.Output, InputWidth = depthwiseShape.Width.Output,
                InputChannels = shape.InputChannels * shape.DepthMultiplier, OutputChannels = shape.OutputChannels,
                KernelHeight = 1, KernelWidth = 1, StrideHeight = 1, StrideWidth = 1, DilationHeight = 1, DilationWidth = 1, Groups = 1,
            }))
            {
                problems.Add(new ConvProblem(problem.Kind, ConvSetting.OutputChannels, problem.Message));
            }
        }

        // One diagnostic per kind and argument: an argument that sets both axes (Stride = 0) is reported once, not once
        // per axis.
        var placed = new HashSet<(LocationInfo?, ConvProblemKind)>();
        foreach (ConvProblem problem in problems)
        {
            LocationInfo? location = arguments.For(problem.Setting, given);
            if (placed.Add((location, problem.Kind)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.For(problem.Kind), location, problem.Message));
            }
        }

        return new LayerModel(typeModel, kind, shape, diagnostics.ToEquatableArray(), attributeLocation);
    }

    /// <summary>
    /// What the class declares must leave room for what the generator adds to it (<c>LayerEmitter.WriteContract</c>): its
    /// members' names, a constructor that calls the base class's parameterless one, and a part in a file of its own.
    /// </summary>
    private static void CheckRoomForLayer(INamedTypeSymbol type, LayerKind kind, LocationInfo? classLocation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FileLocalClass, classLocation, type.Name));
                break;
            }
        }

        if (type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null }))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstructorNotPossible, classLocation, type.Name,
                "has a primary constructor", "remove its parameter list"));
        }

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType
            && !baseType.InstanceConstructors.Any(c => c.Parameters.All(p => p.IsOptional || p.IsParams) && c.DeclaredAccessibility is not Accessibility.Private))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstructorNotPossible, classLocation, type.Name,
                F($"derives from '{baseType.Name}', which has no constructor without arguments it can call"), "give the base class one, or derive from another"));
        }

        string[] generated = GeneratedMemberNames(kind);
        if (Array.IndexOf(generated, type.Name) >= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberNameTaken, classLocation, type.Name,
                F($"its own name, '{type.Name}' (a member may not share its class's name)")));
        }

        foreach (ISymbol member in type.GetMembers())
        {
            bool taken = !member.IsImplicitlyDeclared && (Array.IndexOf(generated, member.Name) >= 0 || IsGeneratedConstructor(member, kind) || IsGeneratedForward(member));
            if (taken)
            {
                string what = member is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.Ordinary } method && (method.MethodKind == MethodKind.Constructor || method.Name == "Forward")
                    ? F($"{(method.MethodKind == MethodKind.Constructor ? "a constructor" : "'Forward'")} taking ({string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString()))})")
                    : F($"'{member.Name}'");
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberNameTaken,
                    LocationInfo.From(member.Locations.FirstOrDefault(l => l.IsInSource)) ?? classLocation, type.Name, what));
            }
        }
    }

    /// <summary>The members <c>LayerEmitter.WriteContract</c> adds to a layer class of this kind, by name (its constructor and <c>Forward</c> methods by signature).</summary>
    internal static string[] GeneratedMemberNames(LayerKind kind) => kind == LayerKind.SeparableConv2D
        ?
        [
            "InputHeight", "InputWidth", "InputChannels", "OutputHeight", "OutputWidth", "OutputChannels", "DepthwiseWeightLength", "PointwiseWeightLength",
            "BiasLength", "DepthwiseSpec", "PointwiseSpec", "InputLength", "OutputLength", "_path", "_runtime", "_depthwiseWeights",
            "_pointwiseWeights", "_depthwiseBias", "_bias",
        ]
        :
        [
            "InputHeight", "InputWidth", "InputChannels", "OutputHeight", "OutputWidth", "OutputChannels", "WeightLength", "BiasLength", "Spec",
            "InputLength", "OutputLength", "_path", "_runtime", "_weights", "_bias",
        ];

    /// <summary>Whether a member is a constructor with the parameters of the one the generator adds (spans of floats).</summary>
    private static bool IsGeneratedConstructor(ISymbol member, LayerKind kind) =>
        member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
        && constructor.Parameters.Length == (kind == LayerKind.SeparableConv2D ? 3 : 2)
        && constructor.Parameters.All(p => IsSpanOfFloat(p.Type, "ReadOnlySpan"));

    /// <summary>Whether a member is a <c>Forward</c> with the parameters of one the generator adds (the class may overload it otherwise).</summary>
    private static bool IsGeneratedForward(ISymbol member) =>
        member is IMethodSymbol { MethodKind: MethodKind.Ordinary, Name: "Forward" } method
        && method.Parameters.Length is 2 or 3
        && IsSpanOfFloat(method.Parameters[0].Type, "ReadOnlySpan") && IsSpanOfFloat(method.Parameters[1].Type, "Span")
        && (method.Parameters.Length == 2 || method.Parameters[2].Type.SpecialType == SpecialType.System_Int32);

    private static bool IsSpanOfFloat(ITypeSymbol type, string name) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } span && span.TypeArguments[0].SpecialType == SpecialType.System_Single
        && span.Name == name && span.ContainingNamespace.ToDisplayString() == "System";

    private static string F(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string ShortName(LayerKind kind) => ShortName(AttributeName(kind));

    private static string ShortName(string attributeName) =>
        attributeName.Substring(Namespace.Length + 1, attributeName.Length - Namespace.Length - 1 - "Attribute".Length);

    private static bool SameAttribute(AttributeData a, AttributeData b) =>
        a.ApplicationSyntaxReference is { } ra && b.ApplicationSyntaxReference is { } rb
            ? ra.SyntaxTree == rb.SyntaxTree && ra.Span == rb.Span
            : ReferenceEquals(a, b);

    private static TypeModel ReadType(INamedTypeSymbol type, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var containing = new List<ContainingType>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            string keyword = outer.DeclaringSyntaxReferences.Length > 0 && outer.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is TypeDeclarationSyntax d
                ? Keyword(d)
                : "class";
            containing.Insert(0, new ContainingType(keyword, outer.Name));
        }

        // Keywords keep their '@' (namespace @class.Layers), as the source spells them.
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n
            ? n.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted))
            : "";
        return new TypeModel(ns, Keyword(declaration), type.Name, containing.ToEquatableArray(),
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)));
    }

    private static string Keyword(TypeDeclarationSyntax declaration) => declaration switch
    {
        RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    /// <summary>Resolves the attribute's arguments; false when one does not bind to a constant.</summary>
    private static bool TryReadShape(AttributeData attribute, LayerKind kind, out ShapeModel shape, out IReadOnlyDictionary<string, object?> named)
    {
        shape = null!;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        named = values;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Value.Kind == TypedConstantKind.Error)
            {
                return false;
            }

            values[argument.Key] = argument.Value.Value;
        }

        ImmutableArray<TypedConstant> positional = attribute.ConstructorArguments;
        int expected = kind == LayerKind.DepthwiseConv2D ? 4 : 5;
        if (positional.Length != expected || positional.Any(p => p.Kind == TypedConstantKind.Error || p.Value is not int))
        {
            return false;
        }

        int Positional(int index) => (int)positional[index].Value!;
        int? Int(string name) => values.TryGetValue(name, out object? v) && v is int i ? i : null;

        int kernelSize = Positional(kind == LayerKind.DepthwiseConv2D ? 3 : 4);
        int stride = Int("Stride") ?? 1, dilation = Int("Dilation") ?? 1, pad = Int("Pad") ?? 0;
        bool padsGiven = values.ContainsKey("Pad") || values.ContainsKey("PadTop") || values.ContainsKey("PadBottom")
            || values.ContainsKey("PadLeft") || values.ContainsKey("PadRight");
        shape = new ShapeModel(
            InputHeight: Positional(0),
            InputWidth: Positional(1),
            InputChannels: Positional(2),
            OutputChannels: kind == LayerKind.DepthwiseConv2D ? Positional(2) * (Int("DepthMultiplier") ?? 1) : Positional(3),
            KernelHeight: Int("KernelHeight") ?? kernelSize,
            KernelWidth: Int("KernelWidth") ?? kernelSize,
            StrideHeight: Int("StrideHeight") ?? stride,
            StrideWidth: Int("StrideWidth") ?? stride,
            DilationHeight: Int("DilationHeight") ?? dilation,
            DilationWidth: Int("DilationWidth") ?? dilation,
            Padding: values.TryGetValue("Padding", out object? padding) && padding is int mode ? (Padding)mode : null,
            PadTop: Int("PadTop") ?? pad,
            PadBottom: Int("PadBottom") ?? pad,
            PadLeft: Int("PadLeft") ?? pad,
            PadRight: Int("PadRight") ?? pad,
            PadsGiven: padsGiven,
            Groups: kind == LayerKind.Conv2D ? Int("Groups") ?? 1 : Positional(2),
            DepthMultiplier: kind == LayerKind.Conv2D ? 0 : Int("DepthMultiplier") ?? 1,
            UseBias: !values.TryGetValue("UseBias", out object? useBias) || useBias is not false,
            Activation: values.TryGetValue("Activation", out object? activation) && activation is int a ? (Activation)a : Activation.None,
            ActivationAlpha: values.TryGetValue("ActivationAlpha", out object? alpha) && alpha is float f ? f : 0.01f);
        return true;
    }

    /// <summary>Finds the attribute argument a setting came from: the per-axis one, the square one, or the attribute.</summary>
    private sealed class ArgumentLocator(AttributeSyntax? syntax, LayerKind kind, LocationInfo? attributeLocation)
    {
        public LocationInfo? For(ConvSetting setting, IReadOnlyDictionary<string, object?> given)
        {
            string kernelParameter = "kernelSize";
            string[] candidates = setting switch
            {
                ConvSetting.InputHeight => ["#inputHeight"],
                ConvSetting.InputWidth => ["#inputWidth"],
                ConvSetting.InputChannels => [kind == LayerKind.DepthwiseConv2D ? "#channels" : "#inputChannels"],
                ConvSetting.OutputChannels => ["#outputChannels"],
                ConvSetting.KernelHeight => ["KernelHeight", "#" + kernelParameter],
                ConvSetting.KernelWidth => ["KernelWidth", "#" + kernelParameter],
                ConvSetting.StrideHeight => ["StrideHeight", "Stride"],
                ConvSetting.StrideWidth => ["StrideWidth", "Stride"],
                ConvSetting.DilationHeight => ["DilationHeight", "Dilation"],
                ConvSetting.DilationWidth => ["DilationWidth", "Dilation"],
                ConvSetting.PadTop => ["PadTop", "Pad"],
                ConvSetting.PadBottom => ["PadBottom", "Pad"],
                ConvSetting.PadLeft => ["PadLeft", "Pad"],
                ConvSetting.PadRight => ["PadRight", "Pad"],
                ConvSetting.Groups => ["Groups", "#channels", "#inputChannels"],
                _ => [setting.ToString()],
            };

            foreach (string candidate in candidates)
            {
                if (Find(candidate, given) is { } location)
                {
                    return location;
                }
            }

            return attributeLocation;
        }

        private LocationInfo? Find(string candidate, IReadOnlyDictionary<string, object?> given)
        {
            if (syntax?.ArgumentList is not { } list)
            {
                return null;
            }

            if (candidate[0] != '#')
            {
                return given.ContainsKey(candidate)
                    ? list.Arguments.Where(a => a.NameEquals?.Name.Identifier.ValueText == candidate).Select(a => LocationInfo.From(a.GetLocation())).FirstOrDefault()
                    : null;
            }

            // A constructor argument: by name when written `inputHeight: 28`, else by position.
            string parameter = candidate.Substring(1);
            string[] order = kind == LayerKind.DepthwiseConv2D
                ? ["inputHeight", "inputWidth", "channels", "kernelSize"]
                : ["inputHeight", "inputWidth", "inputChannels", "outputChannels", "kernelSize"];
            int position = Array.IndexOf(order, parameter);
            if (position < 0)
            {
                return null;
            }

            int index = 0;
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                if (argument.NameEquals is not null)
                {
                    continue;
                }

                if (argument.NameColon is { } colon ? colon.Name.Identifier.ValueText == parameter : index == position)
                {
                    return LocationInfo.From(argument.GetLocation());
                }

                index++;
            }

            return null;
        }
    }
}

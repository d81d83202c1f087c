using SpecializedConv.Geometry;

namespace SpecializedConv.Generators.Model;

/// <summary>The three attributes.</summary>
internal enum LayerKind
{
    Conv2D,
    DepthwiseConv2D,
    SeparableConv2D,
}

/// <summary>A type that encloses the annotated class, to be reopened as a partial declaration.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>The annotated class: where it lives and how to reopen it.</summary>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="Keyword"><c>class</c> or <c>record</c>.</param>
/// <param name="Name">The class's name.</param>
/// <param name="Containing">Enclosing types, outermost first.</param>
/// <param name="FullName">The fully qualified name (for file names and messages).</param>
internal sealed record TypeModel(string Namespace, string Keyword, string Name, EquatableArray<ContainingType> Containing, string FullName);

/// <summary>
/// The convolution an attribute declares, every setting resolved (per-axis over square, defaults filled in), as
/// ints, enums and bools only: the model compares by value, so the pipeline caches it.
/// </summary>
internal sealed record ShapeModel(
    int InputHeight,
    int InputWidth,
    int InputChannels,
    int OutputChannels,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int DilationHeight,
    int DilationWidth,
    Padding? Padding,
    int PadTop,
    int PadBottom,
    int PadLeft,
    int PadRight,
    bool PadsGiven,
    int Groups,
    int DepthMultiplier,
    bool UseBias,
    Activation Activation,
    float ActivationAlpha)
{
    /// <summary>
    /// The convolution the shared geometry validates: for a depthwise or separable layer its depthwise step
    /// (channels x multiplier outputs, one group per channel), otherwise the layer itself.
    /// </summary>
    public ConvShape ToConvShape(LayerKind kind) => new()
    {
        InputHeight = InputHeight,
        InputWidth = InputWidth,
        InputChannels = InputChannels,
        OutputChannels = kind == LayerKind.Conv2D ? OutputChannels : InputChannels * DepthMultiplier,
        KernelHeight = KernelHeight,
        KernelWidth = KernelWidth,
        StrideHeight = StrideHeight,
        StrideWidth = StrideWidth,
        DilationHeight = DilationHeight,
        DilationWidth = DilationWidth,
        Padding = Padding,
        PadTop = PadTop,
        PadBottom = PadBottom,
        PadLeft = PadLeft,
        PadRight = PadRight,
        PadsGiven = PadsGiven,
        Groups = kind == LayerKind.Conv2D ? Groups : InputChannels,
        Depthwise = kind != LayerKind.Conv2D,
        DepthMultiplier = DepthMultiplier,
        Activation = Activation,
        ActivationAlpha = ActivationAlpha,
    };
}

/// <summary>What the parser makes of one attributed class: a valid layer to plan, or diagnostics only.</summary>
/// <param name="Type">The class.</param>
/// <param name="Kind">Which attribute.</param>
/// <param name="Shape">The resolved settings; null when the attribute could not be read (the compiler reports why).</param>
/// <param name="Diagnostics">Errors that stop generation, in the order found.</param>
/// <param name="Location">
/// The attribute. Null in the copy the planner and the emitter see, so that moving the attribute does not plan again:
/// their diagnostics get it when reported.
/// </param>
internal sealed record LayerModel(TypeModel Type, LayerKind Kind, ShapeModel? Shape, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? Location)
{
    public bool IsValid => Shape is not null && Diagnostics.Count == 0;
}

using Microsoft.CodeAnalysis;

namespace SpecializedConv.Generators.Model;

/// <summary>A diagnostic as data in the model, turned into a <see cref="Diagnostic"/> only when reported.</summary>
/// <param name="Id">The descriptor's id (SCONV0xx).</param>
/// <param name="Location">The attribute argument at fault, or the attribute or class.</param>
/// <param name="Arguments">The message's format arguments, already formatted with the invariant culture.</param>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic(Compilation? compilation = null)
    {
        object?[] arguments = new object?[Arguments.Count];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i];
        }

        return Diagnostic.Create(Diagnostics.DiagnosticDescriptors.ById(Id), Location?.ToLocation(compilation), arguments);
    }

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor.Id, location, arguments.ToEquatableArray());
}

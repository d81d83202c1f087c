// Language features of C# 9+ that netstandard2.0 lacks the types for.
using System;

namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}

/// <summary>Lets netstandard2.0 compile <c>required</c> members.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
internal sealed class RequiredMemberAttribute : Attribute
{
}

/// <summary>Lets netstandard2.0 compile <c>required</c> members.</summary>
[AttributeUsage(AttributeTargets.All, AllowMultiple = true, Inherited = false)]
internal sealed class CompilerFeatureRequiredAttribute(string featureName) : Attribute
{
    public string FeatureName { get; } = featureName;

    public bool IsOptional { get; init; }
}

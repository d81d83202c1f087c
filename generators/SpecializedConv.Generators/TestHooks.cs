using System;

namespace SpecializedConv.Generators;

/// <summary>
/// Lets the generator's tests make the planner fail on a chosen class, to check that a failure becomes a warning and a
/// class that still works. Thread-static: the test driver runs the generator on its own thread.
/// </summary>
internal static class TestHooks
{
    [ThreadStatic]
    private static string? s_failOn;

    /// <summary>The class name whose planning throws, or null.</summary>
    public static string? FailOn
    {
        get => s_failOn;
        set => s_failOn = value;
    }

    public static void FailIfAsked(string className)
    {
        if (s_failOn is not null && s_failOn == className)
        {
            throw new InvalidOperationException("failure injected by a test");
        }
    }
}

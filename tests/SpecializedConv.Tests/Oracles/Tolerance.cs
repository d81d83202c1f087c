using System;
using System.Text;
using Xunit.Sdk;

namespace SpecializedConv.Tests.Oracles;

/// <summary>Float-tolerance comparison: each output may differ from the oracle by rounding proportional to the size of its terms.</summary>
public static class Tolerance
{
    /// <summary>Relative rounding allowed against the sum of the terms' magnitudes (a float sum of K terms errs by about K ulps at worst).</summary>
    public const double Relative = 2e-5;

    /// <summary>What an activation can add: exp-based ones are accurate to a few ulps of their output.</summary>
    public const double Absolute = 2e-6;

    /// <summary>The first output that differs beyond tolerance, described, or null when all agree.</summary>
    public static string? FirstMismatch(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, ReadOnlySpan<double> magnitude, Activation activation = Activation.None, float alpha = 0.01f)
    {
        if (actual.Length != expected.Length)
        {
            return $"length {actual.Length} != expected {expected.Length}";
        }

        // Every activation here is at most 1.5-Lipschitz (HardSwish near x = 3), LeakyRelu alpha-Lipschitz.
        double lipschitz = Math.Max(1.5, activation == Activation.LeakyRelu ? Math.Abs(alpha) : 0);
        for (int i = 0; i < actual.Length; i++)
        {
            double allowed = (Relative * magnitude[i] * lipschitz) + Absolute + (Absolute * Math.Abs(expected[i]));
            if (!(Math.Abs(actual[i] - (double)expected[i]) <= allowed))
            {
                return $"output[{i}] = {actual[i]:R}, expected {expected[i]:R} (allowed error {allowed:G3})";
            }
        }

        return null;
    }

    /// <summary>Asserts <see cref="FirstMismatch"/> finds nothing.</summary>
    public static void AssertClose(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, ReadOnlySpan<double> magnitude, string context, Activation activation = Activation.None, float alpha = 0.01f)
    {
        string? mismatch = FirstMismatch(actual, expected, magnitude, activation, alpha);
        if (mismatch is not null)
        {
            throw new XunitException(new StringBuilder(context).Append(": ").Append(mismatch).ToString());
        }
    }
}

using System;
using System.Collections.Generic;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.Tests;

/// <summary>
/// Every SIMD path on this machine: the conformance suite rerun in a child process with AVX-512, AVX2 or all hardware
/// intrinsics switched off, so the Vector256, Vector128 and scalar code runs with the register file and instruction
/// set a machine without them has (16 registers, no FMA on the 128-bit path).
/// </summary>
public class SimdPathTests
{
    [Theory]
    [InlineData("DOTNET_EnableAVX512", "Vector256")]
    [InlineData("DOTNET_EnableAVX2", "Vector128")]
    [InlineData("DOTNET_EnableHWIntrinsic", "Scalar")]
    public void The_conformance_suite_passes_on_the_narrower_path(string switchOff, string expectedPath)
    {
        var (exitCode, output) = ChildProcess.RunAssembly(typeof(Conformance).Assembly.Location, "conformance",
            new Dictionary<string, string> { [switchOff] = "0" }, TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, output);
        Assert.Contains($"path: {expectedPath}", output, StringComparison.Ordinal);
        Assert.Contains("conformance: passed", output, StringComparison.Ordinal);
    }
}

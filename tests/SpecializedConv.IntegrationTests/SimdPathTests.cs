using System;
using System.Collections.Generic;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.IntegrationTests;

/// <summary>
/// Every generated layer on every SIMD path of this machine: the conformance run repeated in a child process with
/// AVX-512, AVX2 or all hardware intrinsics switched off, so the Vector256, Vector128 and scalar kernels run with the
/// register file and instruction set of a machine without them, each layer then against guard pages (on Linux).
/// </summary>
public class SimdPathTests
{
    [Theory]
    [InlineData("DOTNET_EnableAVX512", "Vector256")]
    [InlineData("DOTNET_EnableAVX2", "Vector128")]
    [InlineData("DOTNET_EnableHWIntrinsic", "Scalar")]
    public void Every_generated_layer_passes_on_the_narrower_path(string switchOff, string expectedPath)
    {
        var (exitCode, output) = ChildProcess.RunAssembly(typeof(Conformance).Assembly.Location, "conformance",
            new Dictionary<string, string> { [switchOff] = "0" }, TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, output);
        Assert.Contains($"path: {expectedPath}", output, StringComparison.Ordinal);
        Assert.Contains("layers passed", output, StringComparison.Ordinal);
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace SpecializedConv.Tests.Oracles;

/// <summary>Runs a .NET assembly's Main in a child process with extra environment variables (the SIMD path switches).</summary>
public static class ChildProcess
{
    public static (int ExitCode, string Output) RunAssembly(string assemblyPath, string arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        // The SDK tells test hosts where its dotnet is; a plain `dotnet` on PATH is the fallback.
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, $"\"{assemblyPath}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + dotnet);
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, output + "\n(timed out)");
        }

        return (process.ExitCode, output + error.Result);
    }
}

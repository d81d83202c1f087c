using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace SpecializedConv.Tests.Oracles;

/// <summary>Child processes: a .NET assembly's Main under other environment variables (the SIMD path switches), or the SDK itself.</summary>
public static class ChildProcess
{
    public static (int ExitCode, string Output) RunAssembly(string assemblyPath, string arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout) =>
        Run("dotnet", $"\"{assemblyPath}\" {arguments}", environment, timeout);

    /// <summary>Runs a program (<c>dotnet</c> means the SDK's own host) and returns its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Run(string program, string arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        // The SDK tells test hosts where its dotnet is; a plain `dotnet` on PATH is the fallback.
        if (program == "dotnet" && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            program = host;
        }

        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + program);
        // Both streams read in the background: a child that hangs with its output open still times out.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, output.Result + error.Result + "\n(timed out)");
        }

        return (process.ExitCode, output.Result + error.Result);
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.IntegrationTests;

/// <summary>
/// The package as a user gets it: packed into a temporary feed, restored into a throwaway project with a fresh
/// package cache (never a stale copy), built with warnings as errors, and run.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("specializedconv-package-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    [Fact]
    public void The_packed_package_builds_and_runs_a_consumer_with_warnings_as_errors()
    {
        string feed = Path.Combine(_work, "feed");
        var (code, output) = Dotnet($"pack \"{Path.Combine(RepositoryRoot, "src/SpecializedConv/SpecializedConv.csproj")}\" -c Release -o \"{feed}\" -nologo");
        Assert.True(code == 0, output);

        string package = Directory.GetFiles(feed, "SpecializedConv.*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(feed, "*.snupkg"));
        using (ZipArchive zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net10.0/SpecializedConv.dll", entries);
            Assert.Contains("lib/net10.0/SpecializedConv.xml", entries);
            Assert.Contains("analyzers/dotnet/cs/SpecializedConv.Generators.dll", entries);
            Assert.Contains("README.md", entries);
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            string manifest = nuspec.ReadToEnd();
            Assert.Contains("<license type=\"expression\">MIT</license>", manifest);
            Assert.Contains("<readme>README.md</readme>", manifest);
            Assert.Contains("<tags>", manifest);
            Assert.Contains("<description>Convolution layers compiled for their exact shape", manifest);
            Assert.DoesNotContain("<dependency", manifest);
        }

        string consumer = Path.Combine(_work, "consumer");
        Directory.CreateDirectory(consumer);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestoreAdditionalProjectSources>{feed}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SpecializedConv" Version="*-*" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), """
            using SpecializedConv;

            var stem = new Stem(new float[Stem.WeightLength]);
            var output = new float[stem.OutputLength];
            stem.Forward(new float[stem.InputLength], output);
            var separable = new Separable(new float[Separable.DepthwiseWeightLength], new float[Separable.PointwiseWeightLength], new float[Separable.BiasLength]);
            separable.Forward(new float[separable.InputLength], new float[separable.OutputLength]);
            Console.WriteLine($"Output shape: (1, {Stem.OutputHeight}, {Stem.OutputWidth}, {Stem.OutputChannels}) and (1, {Separable.OutputHeight}, {Separable.OutputWidth}, {Separable.OutputChannels})");

            [Conv2D(28, 28, 3, 32, 3, Stride = 2, Pad = 2, UseBias = false)]
            public partial class Stem;

            [SeparableConv2D(64, 64, 3, 64, 3, Padding = Padding.Same)]
            public partial class Separable;
            """);

        (code, output) = Dotnet($"run --project \"{consumer}\" -c Release", new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_work, "packages") });
        Assert.True(code == 0, output);
        Assert.Contains("Output shape: (1, 15, 15, 32) and (1, 64, 64, 64)", output, StringComparison.Ordinal);
    }

    private static (int Code, string Output) Dotnet(string arguments, Dictionary<string, string>? environment = null) =>
        ChildProcess.Run("dotnet", arguments, environment ?? [], TimeSpan.FromMinutes(10));
}

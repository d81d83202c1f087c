using System;

namespace SpecializedConv.IntegrationTests;

public static class Program
{
    public static int Main(string[] args) => args.Length == 0 ? 0
        : args[0] == "conformance" ? Conformance.Run(Console.Out)
        : args[0] == MemoryPressureTests.Argument ? MemoryPressureTests.Run(Console.Out)
        : 0;
}

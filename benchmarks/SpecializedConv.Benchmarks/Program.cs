using System;
using System.Linq;
using BenchmarkDotNet.Running;
using SpecializedConv.Benchmarks;

// --quick [--suite heldout] [--peers peers.tsv] [--filter name,name] [--rounds N] [--threads N] [--line-offset F] [--out results.tsv]: the side-by-side
//   table in a few minutes (--line-offset F: our buffers start F floats past a 64-byte line; by default every 8 bytes in turn, see Placement).
// --suite-tsv heldout: that suite in shared/bench/suite.tsv's columns, for peers.sh.
// --chart results.tsv chart.png: the README's bar chart from a results file.
// Anything else goes to BenchmarkDotNet (e.g. --filter '*LayerBenchmarks*').
if (args.Length == 2 && args[0] == "--first-call")
{
    return FirstCall.Measure(args[1]);
}

if (args.Length == 3 && args[0] == "--chart")
{
    return Chart.Render(args[1], args[2]);
}

if (args.Length == 2 && args[0] == "--suite-tsv")
{
    Suite.WriteTsv(Suite.Named(args[1]), Console.Out);
    return 0;
}

if (args.Contains("--quick"))
{
    string? Option(string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    // 24 rounds: every placement of Placement's 8 three times.
    int rounds = int.TryParse(Option("--rounds"), out int r) ? r : 24;
    int threads = int.TryParse(Option("--threads"), out int t) ? t : 1;
    if (rounds < 1 || threads < 1)
    {
        Console.Error.WriteLine("--rounds and --threads take a count of at least 1");
        return 2;
    }

    if (int.TryParse(Option("--line-offset"), out int lineOffset))
    {
        if (lineOffset is < 0 or > 15)
        {
            Console.Error.WriteLine("--line-offset takes floats past a line boundary, 0 to 15");
            return 2;
        }

        Placement.LineOffset = lineOffset;
    }

    return QuickMode.Run(Suite.Named(Option("--suite")), Option("--peers"), Option("--filter"), rounds, threads, Option("--out"), Console.Out);
}

BenchmarkSwitcher.FromAssembly(typeof(QuickMode).Assembly).Run(args);
return 0;

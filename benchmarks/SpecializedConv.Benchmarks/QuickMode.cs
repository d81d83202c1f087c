using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SpecializedConv.Benchmarks;

/// <summary>
/// Every suite layer's contenders measured side by side in one process, interleaved round by round so that drift
/// (other tenants, frequency) hits them alike; medians; the FMA peak measured in the same run; a markdown table.
/// </summary>
public static class QuickMode
{
    // A batch of calls lasts as long as one of peers.sh's samples (20 ms), so that every contender, ours and the
    // peers, is timed with its own data and weights warm in cache: with 4 ms batches a 2 ms layer ran each batch's
    // first call on caches the previous contender had filled (r50_c3_s2 about 10 % slower).
    private const double BatchSeconds = 0.02;

    /// <summary>Whether a layer is named by the filter: a comma-separated list of substrings, any of which selects it (no filter: all).</summary>
    private static bool Selected(string? filter, string name) =>
        filter is null || filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(part => name.Contains(part, StringComparison.Ordinal));

    public static int Run(IReadOnlyList<SuiteLayer> suite, string? peersFile, string? filter, int rounds, int threads, string? resultsPath, TextWriter output)
    {
        double peak = PeakFlops.Measure();
        Dictionary<string, PeerTimes> peers = peersFile is null ? [] : PeerTimes.Read(peersFile, peak);
        var rows = new List<Row>();
        foreach (SuiteLayer layer in suite.Where(l => Selected(filter, l.Name)))
        {
            List<IContender> contenders = SuiteContenders.For(layer, threads);
            try
            {
                Verify(layer.Name, contenders);
                rows.Add(Measure(layer, contenders, rounds));
                Console.Error.WriteLine($"  measured {layer.Name} (ONNX Runtime at {contenders.OfType<OnnxRuntimeContender>().Single().Level})");
            }
            finally
            {
                contenders.ForEach(c => c.Dispose());
            }
        }

        // First calls last, each in child processes of its own: none runs while this process measures.
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Has("generated"))
            {
                var (ratio, coldRatio, compiled) = FirstCall.Ratio(rows[i].Layer.Name);
                rows[i] = rows[i] with { FirstCall = ratio, ColdCall = coldRatio, FirstCallCompiled = compiled };
            }
        }

        var (separable, separableBytes) = suite == Suite.Layers && Selected(filter, "seed3_separable") ? FusedSeparable(peers, rows, rounds) : (null, 0L);
        double peakAfter = PeakFlops.Measure();
        double parallelPeak = threads > 1 ? PeakFlops.MeasureParallel(threads) : double.NaN;
        Write(output, rows, peers, Math.Max(peak, peakAfter), threads, parallelPeak);
        if (resultsPath is not null)
        {
            WriteResults(resultsPath, rows, peers, Math.Max(peak, peakAfter));
        }

        if (separable is not null)
        {
            output.WriteLine();
            output.WriteLine(separable);
        }

        return rows.Any(r => r.AllocatedBytes > 0) || separableBytes > 0 ? 1 : 0;
    }

    /// <summary>
    /// Every contender's output against ONNX Runtime's on the same data (the runtime layer's where ONNX Runtime does not
    /// run the layer: the fused separable one), before any is timed: a kernel that computes the wrong thing must not
    /// win. Within 1e-4 of the output's largest magnitude (summation order differs; the suite's largest difference is
    /// about 2e-6 of it).
    /// </summary>
    private static void Verify(string layer, List<IContender> contenders)
    {
        IContender reference = contenders.OfType<OnnxRuntimeContender>().FirstOrDefault<IContender>() ?? contenders.Single(c => c.Name == "fallback");
        float[] expected = reference.NhwcResult();
        double tolerance = 1e-4 * Math.Max(1, expected.Max(Math.Abs));
        foreach (IContender contender in contenders.Where(c => c != reference))
        {
            float[] result = contender.NhwcResult();
            for (int i = 0; i < expected.Length; i++)
            {
                if (!(Math.Abs(result[i] - expected[i]) <= tolerance))
                {
                    throw new InvalidOperationException($"{layer}: {contender.Name} computes {result[i]} at output {i} (NHWC) where {reference.Name} computes {expected[i]}; not timed");
                }
            }
        }
    }

    private static Row Measure(SuiteLayer layer, List<IContender> contenders, int rounds)
    {
        // Warm up (tiered JIT, caches) and size each contender's batch to about BatchSeconds.
        var iterations = new int[contenders.Count];
        for (int c = 0; c < contenders.Count; c++)
        {
            iterations[c] = Math.Max(1, (int)(BatchSeconds * 1e6 / WarmMicroseconds(contenders[c].Run)));
        }

        // Single-threaded contenders interleaved, then the parallel ones: thread-pool workers left spinning after a
        // parallel call would take the other core's share of this one's resources (measured: ResNet-18's stem 14 %
        // slower when interleaved with its 2-thread run).
        var samples = contenders.Select(_ => new List<double>()).ToArray();
        foreach (bool parallel in new[] { false, true })
        {
            int[] group = Enumerable.Range(0, contenders.Count).Where(c => contenders[c].IsParallel == parallel).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < group.Length; k++)
                {
                    int c = group[(round + k) % group.Length]; // rotate who goes first
                    IContender contender = contenders[c];
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < iterations[c]; i++)
                    {
                        contender.Run();
                    }

                    samples[c].Add(Stopwatch.GetElapsedTime(start).TotalSeconds * 1e6 / iterations[c]);
                    contender.NextPlacement(); // round r at placement r, each equally often over a multiple of 8 rounds
                }
            }
        }

        // Allocations, once everything is warm (tiering done): the bytes our layers allocate in 20 more calls, on every
        // thread for a call spread over several (its helpers run on thread-pool workers).
        long allocated = 0;
        foreach (IContender contender in contenders.Where(c => c.IsOurs))
        {
            long Allocated() => contender.IsParallel ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();
            long bytes = Allocated();
            for (int i = 0; i < 20; i++)
            {
                contender.Run();
            }

            allocated = Math.Max(allocated, (Allocated() - bytes) / 20);
        }

        return new Row(layer, contenders.Select(c => c.Name).ToArray(), samples.Select(Median).ToArray(), allocated);
    }

    /// <summary>Runs <paramref name="run"/> 5 times to warm it up (tiered JIT, caches), then for 50 ms: microseconds per call.</summary>
    public static double WarmMicroseconds(Action run)
    {
        for (int i = 0; i < 5; i++)
        {
            run();
        }

        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < 0.05)
        {
            run();
            calls++;
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    private static void Write(TextWriter output, List<Row> rows, Dictionary<string, PeerTimes> peers, double peak, int threads, double parallelPeak)
    {
        static string F(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
        bool withPeers = peers.Count > 0;
        bool withGenerated = rows.Any(r => r.Has("generated"));
        string ours = withGenerated ? "generated" : "fallback";

        output.WriteLine($"FMA peak measured in this run: {F(peak, "F1")} GFLOP/s (one core, fp32). Times in microseconds, batch 1, one thread unless a column says otherwise; medians of interleaved rounds (the multi-threaded ones after the single-threaded ones). {Placement.Describe()}; ONNX Runtime's and the peers' buffers are their own. ONNX Runtime: IntraOpNumThreads 1, OrtValues bound once, the faster of its \"all\" and \"extended\" graph optimizations. Best peer: the fastest of ONNX Runtime, oneDNN and XNNPACK. Every contender's output is checked against ONNX Runtime's (the fused separable layer's against the runtime one's) before it is timed. bytes/call: what our layers allocate per call once warm. " +
            $"First call: the first Forward after construction in a fresh process (the input written after the layer was built, as an application does), over steady state, median of {FirstCall.Processes} processes; cold call: a steady-state call from cold caches (64 MiB written before it), over steady state.");
        if (threads > 1)
        {
            output.WriteLine($"{threads} threads running FMA chains at once reach {F(parallelPeak, "F1")} GFLOP/s together, {F(parallelPeak / peak, "F2")}x one thread: the ceiling of any {threads}-thread speedup on compute-bound layers here.");
        }

        output.WriteLine();
        var header = new StringBuilder("| layer | MFLOP |");
        var rule = new StringBuilder("|---|---:|");
        void Column(string title)
        {
            header.Append(' ').Append(title).Append(" |");
            rule.Append("---:|");
        }

        if (withGenerated)
        {
            Column("generated µs");
        }

        Column("fallback µs");
        Column("ORT µs");
        Column($"{ours} GFLOP/s");
        Column("% of peak");
        Column($"{ours} vs ORT");
        if (withGenerated)
        {
            Column("fallback vs ORT");
        }

        string? parallel = rows.SelectMany(r => r.Names).FirstOrDefault(n => n.StartsWith("generated x", StringComparison.Ordinal));
        if (parallel is not null)
        {
            Column($"{parallel} µs");
            Column($"{parallel} speedup");
        }

        if (withPeers)
        {
            Column("oneDNN µs");
            Column("XNNPACK µs");
            Column("best peer µs");
            Column($"{ours} vs best peer");
        }

        Column("bytes/call");
        if (withGenerated)
        {
            Column("first call / steady (JIT'd in it)");
            Column("cold call / steady");
        }

        output.WriteLine(header);
        output.WriteLine(rule);

        var vsOrt = new List<double>();
        var fallbackVsOrt = new List<double>();
        var vsPeer = new List<double>();
        var peerVsOrt = new List<double>();
        foreach (Row row in rows)
        {
            double flops = row.Layer.Spec.Flops;
            double time = row.Time(ours), ort = row.Time("ONNX Runtime"), fallback = row.Time("fallback");
            var line = new StringBuilder($"| {row.Layer.Name} | {F(flops / 1e6, "F1")} |");
            void Cell(string text) => line.Append(' ').Append(text).Append(" |");
            if (withGenerated)
            {
                Cell(F(time, "F1"));
            }

            Cell(F(fallback, "F1"));
            Cell(F(ort, "F1"));
            Cell(F(flops / time / 1e3, "F1"));
            Cell(F(100 * flops / time / 1e3 / peak, "F0") + " %");
            Cell(F(ort / time, "F2") + "x");
            vsOrt.Add(ort / time);
            fallbackVsOrt.Add(ort / fallback);
            if (withGenerated)
            {
                Cell(F(ort / fallback, "F2") + "x");
            }

            if (parallel is not null)
            {
                Cell(F(row.Time(parallel), "F1"));
                Cell(F(time / row.Time(parallel), "F2") + "x");
            }

            if (withPeers)
            {
                PeerTimes? peer = peers.GetValueOrDefault(row.Layer.Name);
                double best = BestPeer(peer, ort);
                Cell(F(peer?.OneDnn ?? double.NaN, "F1"));
                Cell(F(peer?.Xnnpack ?? double.NaN, "F1"));
                Cell(F(best, "F1"));
                Cell(F(best / time, "F2") + "x");
                if (peer is not null && double.IsFinite(best))
                {
                    vsPeer.Add(best / time);
                    peerVsOrt.Add(ort / best);
                }
            }

            Cell(row.AllocatedBytes.ToString(CultureInfo.InvariantCulture));
            if (withGenerated)
            {
                Cell(F(row.FirstCall, "F2") + "x (" + row.FirstCallCompiled.ToString(CultureInfo.InvariantCulture) + ")");
                Cell(F(row.ColdCall, "F2") + "x");
            }

            output.WriteLine(line);
        }

        output.WriteLine();
        output.WriteLine($"Geomean speed of {ours} relative to ONNX Runtime: {F(Geomean(vsOrt), "F2")}x" +
            (withGenerated ? $"; fallback relative to ONNX Runtime: {F(Geomean(fallbackVsOrt), "F2")}x" : "") +
            (vsPeer.Count > 0 ? $"; {ours} relative to the best peer: {F(Geomean(vsPeer), "F2")}x; best peer relative to ONNX Runtime: {F(Geomean(peerVsOrt), "F2")}x" : "") +
            $" (over {vsOrt.Count} layers" + (vsPeer.Count > 0 && vsPeer.Count != vsOrt.Count ? $"; {vsPeer.Count} with peers' times" : "") + ").");
    }

    /// <summary>The fastest of the three peers on a layer: oneDNN and XNNPACK (peers.sh), ONNX Runtime (this process).</summary>
    private static double BestPeer(PeerTimes? peer, double ort) =>
        new[] { peer?.OneDnn ?? double.NaN, peer?.Xnnpack ?? double.NaN, ort }.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();

    /// <summary>
    /// The seed's separable layer as one fused generated layer, against the runtime one and against the fastest peer's
    /// depthwise and pointwise times added (the peers run it as two layers).
    /// </summary>
    private static (string Text, long Bytes) FusedSeparable(Dictionary<string, PeerTimes> peers, List<Row> rows, int rounds)
    {
        var random = new Random(1);
        float[] Uniform(int n) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        float[] depthwise = Uniform(Seed3Separable.DepthwiseWeightLength), pointwise = Uniform(Seed3Separable.PointwiseWeightLength), bias = Uniform(Seed3Separable.BiasLength);
        var generated = new Seed3Separable(depthwise, pointwise, bias);
        var input = Uniform(generated.InputLength);
        var contenders = new List<IContender>
        {
            new LayerContender("generated", generated, input),
            new LayerContender("fallback", new SeparableConvLayer(generated.DepthwiseSpec, generated.PointwiseSpec, depthwise, pointwise, bias), input),
        };
        Verify("seed3_separable", contenders);
        Row row = Measure(new SuiteLayer("seed3_separable", generated.PointwiseSpec), contenders, rounds);
        double fused = row.Time("generated"), fallback = row.Time("fallback");
        string text = $"Seed's separable layer, fused: generated {fused.ToString("F1", CultureInfo.InvariantCulture)} µs, runtime {fallback.ToString("F1", CultureInfo.InvariantCulture)} µs, {row.AllocatedBytes} bytes/call";
        double Best(string layer) => BestPeer(peers.GetValueOrDefault(layer), rows.FirstOrDefault(r => r.Layer.Name == layer)?.Time("ONNX Runtime") ?? double.NaN);
        double dw = Best("seed3_dw3x3"), pw = Best("seed3_pw");
        if (peers.Count > 0 && double.IsFinite(dw + pw))
        {
            double sum = dw + pw;
            text += $"; the fastest peer's depthwise + pointwise: {dw.ToString("F1", CultureInfo.InvariantCulture)} + {pw.ToString("F1", CultureInfo.InvariantCulture)} = {sum.ToString("F1", CultureInfo.InvariantCulture)} µs, {(sum / fused).ToString("F2", CultureInfo.InvariantCulture)}x slower than the fused layer";
        }

        return (text + ".", row.AllocatedBytes);
    }

    /// <summary>The measurements as a TSV, for the chart and for comparing runs.</summary>
    private static void WriteResults(string path, List<Row> rows, Dictionary<string, PeerTimes> peers, double peak)
    {
        static string F(double value) => double.IsNaN(value) ? "" : value.ToString("F2", CultureInfo.InvariantCulture);
        using var writer = new StreamWriter(path);
        writer.WriteLine("name\tmflop\tgenerated_us\tfallback_us\tort_us\tonednn_us\txnnpack_us\tbest_peer_us\tpeak_gflops\tfirst_call_ratio");
        foreach (Row row in rows)
        {
            PeerTimes? peer = peers.GetValueOrDefault(row.Layer.Name);
            writer.WriteLine(string.Join('\t', row.Layer.Name, F(row.Layer.Spec.Flops / 1e6), F(row.Time("generated")), F(row.Time("fallback")), F(row.Time("ONNX Runtime")),
                F(peer?.OneDnn ?? double.NaN), F(peer?.Xnnpack ?? double.NaN), F(peer is null ? double.NaN : BestPeer(peer, row.Time("ONNX Runtime"))), F(peak), F(row.FirstCall)));
        }
    }

    private static double Geomean(List<double> values) => values.Count == 0 ? double.NaN : Math.Exp(values.Average(Math.Log));

    private sealed record Row(SuiteLayer Layer, string[] Names, double[] Times, long AllocatedBytes)
    {
        /// <summary>The generated layer's first Forward after construction over its steady state, in a fresh process.</summary>
        public double FirstCall { get; init; } = double.NaN;

        /// <summary>Methods the JIT compiled during that first call: 0 when the constructor made the kernels ready.</summary>
        public int FirstCallCompiled { get; init; } = -1;

        /// <summary>A steady-state call from cold caches (64 MiB written before it) over the warm steady state: what the first call's memory costs.</summary>
        public double ColdCall { get; init; } = double.NaN;

        public bool Has(string name) => Array.IndexOf(Names, name) >= 0;

        public double Time(string name) => Has(name) ? Times[Array.IndexOf(Names, name)] : double.NaN;
    }
}

/// <summary>A row of peers.sh's output: oneDNN's and XNNPACK's times on this machine, measured just before.</summary>
public sealed record PeerTimes(double OneDnn, double Xnnpack)
{
    /// <summary>
    /// Reads peers.sh's TSV. Its peak must be within a quarter of <paramref name="peak"/> (this run's): the CPU behind
    /// this machine kind changes, and times measured on another would make every ratio wrong.
    /// </summary>
    public static Dictionary<string, PeerTimes> Read(string path, double peak)
    {
        var result = new Dictionary<string, PeerTimes>();
        string[] lines = File.ReadAllLines(path);
        string[] header = lines.Length > 0 ? lines[0].Split('\t') : [];
        int Index(string column) => Array.IndexOf(header, column) is int index and >= 0
            ? index
            : throw new InvalidDataException($"{path} has no '{column}' column: expected peers.sh's output (name, dnnl_us, ..., xnn_us, ..., peak_gflops)");
        int oneDnn = Index("dnnl_us"), xnnpack = Index("xnn_us"), peersPeak = Index("peak_gflops");
        static double Parse(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN;
        foreach (string line in lines.Skip(1).Where(l => l.Length > 0))
        {
            string[] cells = line.Split('\t');
            if (cells.Length != header.Length)
            {
                throw new InvalidDataException($"{path}: the row '{line}' has {cells.Length} cells, the header {header.Length}");
            }

            double measuredPeak = Parse(cells[peersPeak]);
            if (!(Math.Abs(measuredPeak - peak) <= peak / 4))
            {
                throw new InvalidDataException($"{path} was measured at a peak of {cells[peersPeak]} GFLOP/s, this run at {peak:F1}: another CPU; run peers.sh again on this machine");
            }

            result[cells[0]] = new PeerTimes(Parse(cells[oneDnn]), Parse(cells[xnnpack]));
        }

        return result;
    }
}

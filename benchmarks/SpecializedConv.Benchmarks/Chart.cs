using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;

namespace SpecializedConv.Benchmarks;

/// <summary>The README's bar chart: GFLOP/s per suite layer of the generated layer, the fallback, ONNX Runtime and the fastest peer, from a quick-mode results file.</summary>
public static class Chart
{
    private static readonly (string Column, string Label, string Color)[] Series =
    [
        ("generated_us", "SpecializedConv, generated", "#1f77b4"),
        ("fallback_us", "SpecializedConv, runtime fallback", "#aec7e8"),
        ("ort_us", "ONNX Runtime", "#ff7f0e"),
        ("best_peer_us", "fastest of ONNX Runtime, oneDNN and XNNPACK", "#2ca02c"),
    ];

    public static int Render(string resultsPath, string pngPath)
    {
        string[] lines = File.ReadAllLines(resultsPath).Where(l => l.Length > 0 && l[0] != '#').ToArray();
        string[] header = lines[0].Split('\t');
        var rows = lines.Skip(1).Select(l => l.Split('\t')).ToList();
        double Value(string[] row, string column) =>
            Array.IndexOf(header, column) is int i and >= 0 && double.TryParse(row[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;

        var plot = new Plot();
        var bars = new List<Bar>();
        for (int r = 0; r < rows.Count; r++)
        {
            double mflop = Value(rows[r], "mflop");
            for (int s = 0; s < Series.Length; s++)
            {
                double microseconds = Value(rows[r], Series[s].Column);
                if (!double.IsNaN(microseconds))
                {
                    bars.Add(new Bar { Position = (r * (Series.Length + 1)) + s, Value = mflop / microseconds * 1e3, FillColor = Color.FromHex(Series[s].Color) });
                }
            }
        }

        plot.Add.Bars(bars);
        double peak = rows.Select(r => Value(r, "peak_gflops")).FirstOrDefault(v => !double.IsNaN(v));
        if (peak > 0)
        {
            var line = plot.Add.HorizontalLine(peak, 1, Color.FromHex("#555555"), LinePattern.Dashed);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"FMA peak of one core, measured in the same run ({peak:F0})");
        }

        var ticks = rows.Select((row, r) => new Tick((r * (Series.Length + 1)) + ((Series.Length - 1) / 2.0), row[0])).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.MinimumSize = 110; // room for the rotated layer names
        plot.Axes.Margins(bottom: 0, top: 0.4); // room above the bars for the legend
        plot.YLabel("GFLOP/s (batch 1, one thread)");
        plot.Title("Convolution throughput per layer of the benchmark suite");
        foreach (var (_, label, color) in Series)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = Color.FromHex(color) });
        }

        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.ShowLegend();
        plot.SavePng(pngPath, 1400, 700);
        Console.WriteLine($"wrote {pngPath}");
        return 0;
    }
}

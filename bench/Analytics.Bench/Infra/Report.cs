using System.Globalization;
using System.Text;

namespace Analytics.Bench.Infra;

/// <summary>A scenario's report: a markdown table (printed and written to results/NAME.md) and a PNG plot.</summary>
public sealed class Report(string scenario, string title)
{
    private readonly StringBuilder _notes = new();
    private readonly List<(string[] Header, List<string[]> Rows)> _tables = [];

    public string Scenario => scenario;

    public void Note(string line) => _notes.AppendLine(line);

    public List<string[]> Table(params string[] header)
    {
        var rows = new List<string[]>();
        _tables.Add((header, rows));
        return rows;
    }

    public static string F(double v, int digits = 1) => v.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public string Render()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}.").AppendLine();
        foreach (var (header, rows) in _tables)
        {
            sb.AppendLine("| " + string.Join(" | ", header) + " |");
            sb.AppendLine("|" + string.Concat(header.Select(_ => " --- |")));
            foreach (var row in rows)
            {
                sb.AppendLine("| " + string.Join(" | ", row) + " |");
            }

            sb.AppendLine();
        }

        sb.Append(_notes);
        sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"![{scenario}]({scenario}.png)");
        return sb.ToString();
    }

    public void Write(string resultsDir)
    {
        var text = Render();
        Console.WriteLine(text);
        File.WriteAllText(Path.Combine(resultsDir, scenario + ".md"), text);
    }

    /// <summary>Grouped bars: one group per label, one series per name.</summary>
    public static void BarPlot(string path, string title, string yLabel, string[] labels, params (string Name, double[] Values)[] series)
    {
        var plot = new ScottPlot.Plot();
        var width = 0.8 / series.Length;
        var palette = new ScottPlot.Palettes.Category10();
        for (var s = 0; s < series.Length; s++)
        {
            var bars = series[s].Values.Select((v, i) => new ScottPlot.Bar
            {
                Position = i + (s * width) - 0.4 + (width / 2),
                Value = v,
                Size = width * 0.95,
                FillColor = palette.GetColor(s),
            }).ToList();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = series[s].Name, FillColor = palette.GetColor(s) });
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, labels.Length).Select(i => (double)i)], labels);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.ShowLegend();
        plot.SavePng(path, 900, 500);
    }

    public static void LinePlot(string path, string title, string xLabel, string yLabel, double[] xs, double[] ys)
    {
        var plot = new ScottPlot.Plot();
        plot.Add.Scatter(xs, ys);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.SavePng(path, 900, 500);
    }
}

using System.Diagnostics;
using Analytics.Bench.Infra;
using Analytics.Bench.Traffic;
using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.Storage;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// 5. Memory: one site, N distinct visitors in one day (one pageview each, spread over the day), delivered through the
/// real grains from the event log; then the silo's RSS, its peak, and the stored state per grain kind.
/// </summary>
public static class MemoryScenario
{
    private const string Site = "mem.bench";

    public static async Task<Report> RunAsync(BenchContext context)
    {
        var s = context.Settings;
        var report = new Report("memory", "Memory: silo RSS per distinct visitors in a day");
        var table = report.Table("distinct visitors", "events", "pump s", "events/s", "RSS MiB", "peak RSS MiB", "(RSS - idle) bytes/visitor", "visitor grains stored", "avg visitor state B", "bucket grains stored", "avg bucket state B");
        var plotLabels = new List<string>();
        var plotRss = new List<double>();
        var idle = context.IdleSiloRss;
        if (idle is null)
        {
            await using var empty = await SiloProcess.StartAsync(context.NewDir("idle"), context.SiloLog("idle"), context.Settings.SiloEnvironment);
            await empty.RegisterSitesAsync([Site]);
            await Task.Delay(1000);
            idle = empty.RssBytes();
            context.IdleSiloRss = idle;
        }

        var results = new List<(int N, long Rss)>();
        foreach (var n in s.MemoryVisitors)
        {
            var day = DateTime.UtcNow.Date.AddDays(-1);
            var enricher = new OfflineEnricher([Site]);
            var events = new List<TrackedEvent>(n);
            var random = new Random(s.Seed);
            for (var v = 0; v < n; v++)
            {
                var at = day.AddTicks((long)((double)v / n * TimeSpan.TicksPerDay));
                var beacon = new SyntheticBeacon(at, Site, "pageview", $"https://{Site}{TrafficGenerator.PagePath(random.Next(200))}", null,
                    TrafficGenerator.UserAgents[v % TrafficGenerator.UserAgents.Length], "203.0.113.9", $"mem{v:D9}", 1440, null);
                events.Add((await enricher.EnrichAsync(beacon))!);
            }

            var dir = context.NewDir("memory-" + n);
            await HistoryImport.AppendAsync(dir, events);
            await using var silo = await SiloProcess.StartAsync(dir, context.SiloLog("memory-" + n), context.Settings.SiloEnvironment);
            await silo.RegisterSitesAsync([Site]);
            var sw = Stopwatch.StartNew();
            await BenchContext.WaitDrainedAsync(dir, s.DrainTimeout);
            var pump = sw.Elapsed;
            await Task.Delay(2000);
            var rss = silo.RssBytes();
            var peak = silo.PeakRssBytes();
            var stored = StoredStates(dir);
            var visitors = stored.GetValueOrDefault("visitor");
            var buckets = stored.GetValueOrDefault("bucket");
            table.Add([n.ToString("N0"), events.Count.ToString("N0"), Report.F(pump.TotalSeconds), Report.F(events.Count / pump.TotalSeconds, 0),
                Report.F(rss / 1048576.0, 0), Report.F(peak / 1048576.0, 0), Report.F((rss - idle.Value) / (double)n, 0),
                visitors.Count.ToString("N0"), Report.F(visitors.AvgBytes, 0), buckets.Count.ToString("N0"), Report.F(buckets.AvgBytes, 0)]);
            plotLabels.Add(n.ToString("N0"));
            plotRss.Add(rss / 1048576.0);
            results.Add((n, rss));
        }

        report.Note($"Idle silo RSS (sites registered, no data): {idle.Value / 1048576.0:N0} MiB. The whole day is delivered in a burst, so every visitor is one VisitorGrain activation at the end; buckets: minute, hour and day grains of one site.");
        if (results.Count >= 2)
        {
            var (a, b) = (results[0], results[^1]);
            report.Note($"Marginal cost between {a.N:N0} and {b.N:N0} visitors: {(b.Rss - a.Rss) / (double)(b.N - a.N):N0} bytes per visitor.");
        }

        var largest = results.MaxBy(r => r.N);
        var projected = idle.Value + ((largest.Rss - idle.Value) / (double)largest.N * 1_000_000);
        report.Note($"Target < 1 GB RSS for 1M visitors/day: {(largest.N >= 1_000_000 ? (largest.Rss < 1L << 30 ? "**met**" : "**missed**") : $"projected from {largest.N:N0} visitors: {projected / 1048576.0:N0} MiB (**{(projected < 1L << 30 ? "met" : "missed")}**, linear projection)")}.");
        Report.BarPlot(Path.Combine(context.ResultsDir, "memory.png"), "Silo RSS after delivering N distinct visitors", "MiB", [.. plotLabels], ("RSS", [.. plotRss]));
        return report;
    }

    private static Dictionary<string, (long Count, double AvgBytes)> StoredStates(string dir)
    {
        var path = new SqliteStorageOptions { DataDirectory = dir }.GrainStatePath;
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state_name, count(*), avg(length(data)) FROM grain_state GROUP BY state_name";
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, (long, double)>(StringComparer.Ordinal);
        while (reader.Read())
        {
            result[reader.GetString(0)] = (reader.GetInt64(1), reader.GetDouble(2));
        }

        return result;
    }
}

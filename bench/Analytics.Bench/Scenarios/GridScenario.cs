using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.Bench.Infra;
using Analytics.Testing;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// Through the grid without HTTP: a generated history (--grid-events N over the history's days, the bench's sites) is
/// appended to a stopped silo's own event log (<see cref="HistoryImport"/>); the silo starts and its SQLite stream
/// provider delivers everything to the grains. Measured from the first checkpoint movement until every lane's
/// checkpoint has passed its lane's last row; then the totals are checked through the query API (pageviews and events
/// of every site equal the generated ones), so a fast but wrong drain cannot pass.
/// </summary>
public static class GridScenario
{
    public const double TargetPerSecond = 100_000;

    /// <summary>The drain's first seconds, reported on their own: a fresh silo's code is still tier-0 or instrumented then.</summary>
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(10);

    public static async Task<Report> RunAsync(BenchContext context)
    {
        var s = context.Settings;
        var history = await context.GeneratedAsync(s.GridEvents);
        var events = history.Events;
        // A guard against a stalled pump, not a speed target: it grows with the history (2,000 events/s at least).
        var timeout = TimeSpan.FromSeconds(Math.Max(s.DrainTimeout.TotalSeconds, events.Count / 2_000.0));
        var m = await LogDrain.RunAsync(context.NewDir("grid"), history.Sites, events, step => context.SiloLog("grid-" + step), s.SiloEnvironment, timeout, early: Early);
        await using var silo = m.Silo;
        var perSecond = m.PerSecond;
        var profile = m.Profile;
        var rss = silo.RssBytes();
        var peak = silo.PeakRssBytes();
        var early = m.Early is { } w ? $"the first {w.Elapsed.TotalSeconds:F1} s {w.PerSecond:N0} events/s" : "drained before the first seconds were over";
        Console.WriteLine($"grid: drained {events.Count - m.DeliveredAtFirst:N0} events in {m.Drain.TotalSeconds:F1}s after the first checkpoint movement ({perSecond:N0} events/s; {early}); {profile.Describe()}");

        var (expected, actual) = await VerifyTotalsAsync(silo, history);

        var days = events.Select(e => DateOnly.FromDateTime(e.Timestamp)).Distinct().Count();
        var report = new Report("grid", "Through the grid without HTTP: the event log through the grains");
        var rows = report.Table("events", "days", "sites", "lanes", "pump start after process start s", "drain s", "events/s", $"events/s in the first {Early.TotalSeconds:N0} s", "silo CPU-s", "silo cores", "RSS MiB", "peak RSS MiB", $"target ≥ {TargetPerSecond:N0} events/s");
        var met = perSecond >= TargetPerSecond;
        rows.Add([events.Count.ToString("N0", CultureInfo.InvariantCulture), days.ToString(CultureInfo.InvariantCulture), history.Sites.Count.ToString(CultureInfo.InvariantCulture),
            m.Lanes.ToString(CultureInfo.InvariantCulture), Report.F(m.FirstAfterStart.TotalSeconds), Report.F(m.Drain.TotalSeconds), Report.F(perSecond, 0), m.Early is { } first ? Report.F(first.PerSecond, 0) : "—", Report.F(m.SiloCpuSeconds),
            Report.F(m.SiloCpuSeconds / m.Drain.TotalSeconds, 2), Report.F(rss / 1048576.0, 0), Report.F(peak / 1048576.0, 0), met ? "**met**" : "**missed**"]);
        var check = report.Table("total (all sites, through POST /api/v2/query)", "generated", "query API");
        check.Add(["pageviews", expected.Pageviews.ToString("N0", CultureInfo.InvariantCulture), actual.Pageviews.ToString("N0", CultureInfo.InvariantCulture)]);
        check.Add(["events (pageviews + custom events)", expected.Events.ToString("N0", CultureInfo.InvariantCulture), actual.Events.ToString("N0", CultureInfo.InvariantCulture)]);

        report.Note($"History: the generated traffic ({history.From:yyyy-MM-dd} .. {history.Today.AddDays(-1):yyyy-MM-dd}: {s.HistoryDays} days, {history.Sites.Count} sites, Zipf sizes; {history.Dropped:N0} bot beacons dropped by the gateway's pipeline before the log), enriched by the gateway's pipeline and appended to the stopped silo's event log in {m.Appended.TotalSeconds:N1} s (not measured; the sites were registered before, on the empty log). `--grid-events N` sets its size.");
        report.Note($"Measured: from the first checkpoint movement (the pump's first read, {Report.F(m.FirstAfterStart.TotalSeconds)} s after the process started; {m.DeliveredAtFirst:N0} events were delivered by then and are not counted) until every lane's checkpoint had passed its lane's last row, read from the log's checkpoints table {LogDrain.Measurement.PollNote} (a lane's checkpoint moves past a batch only after the grains took it). Whole run from the process start: {m.SinceStart.TotalSeconds:N1} s.");
        var ceiling = ResourceProfile.CpuCeiling(m.SiloCpuSeconds, events.Count - m.DeliveredAtFirst, "event");
        report.Note($"Profile of the drain: {profile.Describe()} (GC figures from the process start, start-up included). {ceiling}.");
        report.Note($"The first {Early.TotalSeconds:N0} s of the drain are also given on their own: the silo has just started, so much of its code is still tier-0 or instrumented by dynamic PGO (the product keeps PGO: without it steady ingest costs 8 % more CPU per beacon). The whole drain still includes them: the default backlog of 3M generated beacons (session 44; 1M before) dilutes the start-up, it does not leave it out, and grid figures of earlier sessions (1M backlog) do not compare with these.");
        report.Note("Verified: every site's pageviews and events over the history's days, through the query API, equal the generated ones (the scenario fails otherwise).");
        context.Targets.Add(new TargetResult("grid", LanesSummary.GridRate,
            $"{perSecond:N0} events/s ({events.Count:N0} events over {days} days, {history.Sites.Count} sites; drain {m.Drain.TotalSeconds:N1} s, {early}, silo {m.SiloCpuSeconds:N1} CPU-s, RSS {rss / 1048576.0:N0} MiB; totals verified)",
            met, $"{ceiling}; {profile.Bound()}"));
        Report.BarPlot(Path.Combine(context.ResultsDir, "grid.png"), "Event log through the grid (no HTTP)", "events/s",
            ["events/s"], ("measured", [perSecond]), ("target", [TargetPerSecond]));
        return report;
    }

    /// <summary>
    /// Polls (with a deadline) until every site's pageviews and events through POST /api/v2/query equal the generated
    /// ones; returns the totals generated and answered, or throws with the last answers.
    /// </summary>
    private static async Task<((long Pageviews, long Events) Expected, (long Pageviews, long Events) Actual)> VerifyTotalsAsync(SiloProcess silo, GeneratedHistory history)
    {
        var expected = history.Events.GroupBy(e => e.Site).ToDictionary(
            g => g.Key, g => (Pageviews: (long)g.Count(e => e.Name == "pageview"), Events: (long)g.Count()), StringComparer.Ordinal);
        var first = history.Events.Min(e => e.Timestamp).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var last = history.Events.Max(e => e.Timestamp).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }.Authorize();

        async Task<Dictionary<string, (long Pageviews, long Events)>> ActualAsync()
        {
            var actual = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
            foreach (var site in expected.Keys)
            {
                var body = $$"""{"site_id":"{{site}}","metrics":["pageviews","events"],"date_range":["{{first}}","{{last}}"]}""";
                using var response = await http.PostAsync("api/v2/query", new StringContent(body, Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"the query for {site} answered {(int)response.StatusCode}: {text}");
                }

                using var doc = JsonDocument.Parse(text);
                var metrics = doc.RootElement.GetProperty("results")[0].GetProperty("metrics");
                actual[site] = (metrics[0].GetInt64(), metrics[1].GetInt64());
            }

            return actual;
        }

        var totals = await Poll.UntilAsync(ActualAsync, a => expected.All(e => a[e.Key] == e.Value), TimeSpan.FromSeconds(60),
            "every site's pageviews and events through the query API to equal the generated ones");
        return ((expected.Values.Sum(t => t.Pageviews), expected.Values.Sum(t => t.Events)), (totals.Values.Sum(t => t.Pageviews), totals.Values.Sum(t => t.Events)));
    }
}

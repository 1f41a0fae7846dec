using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.Bench.Infra;
using Analytics.Testing;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// Through the grid without HTTP: the generated history (N events over the history's days, the bench's sites) is
/// appended to a stopped silo's own event log (<see cref="HistoryImport"/>); the silo starts and its SQLite stream
/// provider delivers everything to the grains. Measured from the first checkpoint movement until every lane's
/// checkpoint has passed its lane's last row; then the totals are checked through the query API (pageviews and events
/// of every site equal the generated ones), so a fast but wrong drain cannot pass.
/// </summary>
public static class GridScenario
{
    public const double TargetPerSecond = 100_000;
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);

    public static async Task<Report> RunAsync(BenchContext context)
    {
        var s = context.Settings;
        var history = await context.GeneratedAsync();
        var events = history.Events;
        var dir = context.NewDir("grid");

        // The sites are registered first, on an empty log, so the measured start delivers into registered sites as live
        // traffic does (and site registration is not inside the measured window).
        await using (var setup = await SiloProcess.StartAsync(dir, context.SiloLog("grid-setup"), s.SiloEnvironment))
        {
            await setup.RegisterSitesAsync(history.Sites);
        }

        var sw = Stopwatch.StartNew();
        await HistoryImport.AppendAsync(dir, events);
        var appended = sw.Elapsed;
        var progress = new LaneProgress(dir);
        var tails = progress.Tails();
        var checkpointsBefore = progress.Checkpoints();
        Console.WriteLine($"grid: {events.Count:N0} events appended to {tails.Count} lanes in {appended.TotalSeconds:F1}s; starting the silo");

        // A guard against a stalled pump, not a speed target: it grows with the history (2,000 events/s at least).
        var timeout = TimeSpan.FromSeconds(Math.Max(s.DrainTimeout.TotalSeconds, events.Count / 2_000.0));
        var launch = ResourceProfile.Snapshot.ProcessStart(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, ProcStats.MachineBusySeconds());
        await using var silo = SiloProcess.Launch(dir, context.SiloLog("grid"), s.SiloEnvironment);
        ResourceProfile.Snapshot? first = null;
        long deliveredAtFirst = 0;
        while (true)
        {
            if (silo.HasExited)
            {
                throw new InvalidOperationException($"the silo exited while delivering; see {silo.LogFile}");
            }

            if (Stopwatch.GetElapsedTime(launch.Timestamp) > timeout)
            {
                var (all, delivered) = progress.Count();
                throw new TimeoutException($"the grid delivered {delivered:N0} of {all:N0} events within {timeout}");
            }

            var checkpoints = progress.Checkpoints();
            var drained = LaneProgress.Drained(tails, checkpoints);
            if (first is null && !drained && checkpoints.Any(c => checkpointsBefore.GetValueOrDefault(c.Key) != c.Value))
            {
                // The GC counters start with the process: its start-up is inside the GC figures, not the CPU ones.
                first = ResourceProfile.Capture([silo.Pid]) with { GcPause = 0, Allocated = 0 };
                deliveredAtFirst = progress.Count().Delivered;
            }

            if (drained)
            {
                break;
            }

            await Task.Delay(PollEvery);
        }

        var end = ResourceProfile.Capture([silo.Pid]);
        // Drained between two polls before any movement was seen (a tiny history): measure from the launch instead.
        var from = first ?? launch;
        var sinceLaunch = Stopwatch.GetElapsedTime(launch.Timestamp, end.Timestamp);
        var firstAfter = Stopwatch.GetElapsedTime(launch.Timestamp, from.Timestamp);
        var drain = Stopwatch.GetElapsedTime(from.Timestamp, end.Timestamp);
        var perSecond = (events.Count - deliveredAtFirst) / drain.TotalSeconds;
        var siloCpu = end.ServerCpu - from.ServerCpu;
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var scrape = await silo.ScrapeAsync();
        var profile = ResourceProfile.Window.Between(from, end with { GcPause = scrape?.Sum(PrometheusScrape.GcPauseSeconds), Allocated = scrape?.Sum(PrometheusScrape.AllocatedBytes) });
        var rss = silo.RssBytes();
        var peak = silo.PeakRssBytes();
        Console.WriteLine($"grid: drained {events.Count - deliveredAtFirst:N0} events in {drain.TotalSeconds:F1}s after the first delivery ({perSecond:N0} events/s); {profile.Describe()}");

        var (expected, actual) = await VerifyTotalsAsync(silo, history);

        var days = events.Select(e => DateOnly.FromDateTime(e.Timestamp)).Distinct().Count();
        var report = new Report("grid", "Through the grid without HTTP: the event log through the lanes");
        var rows = report.Table("events", "days", "sites", "lanes", "first delivery after start s", "drain s", "events/s", "silo CPU-s", "silo cores", "RSS MiB", "peak RSS MiB", $"target ≥ {TargetPerSecond:N0} events/s");
        var met = perSecond >= TargetPerSecond;
        rows.Add([events.Count.ToString("N0", CultureInfo.InvariantCulture), days.ToString(CultureInfo.InvariantCulture), history.Sites.Count.ToString(CultureInfo.InvariantCulture),
            tails.Count.ToString(CultureInfo.InvariantCulture), Report.F(firstAfter.TotalSeconds), Report.F(drain.TotalSeconds), Report.F(perSecond, 0), Report.F(siloCpu),
            Report.F(siloCpu / drain.TotalSeconds, 2), Report.F(rss / 1048576.0, 0), Report.F(peak / 1048576.0, 0), met ? "**met**" : "**missed**"]);
        var check = report.Table("total (all sites, through POST /api/v2/query)", "generated", "query API");
        check.Add(["pageviews", expected.Pageviews.ToString("N0", CultureInfo.InvariantCulture), actual.Pageviews.ToString("N0", CultureInfo.InvariantCulture)]);
        check.Add(["events (pageviews + custom events)", expected.Events.ToString("N0", CultureInfo.InvariantCulture), actual.Events.ToString("N0", CultureInfo.InvariantCulture)]);

        report.Note($"History: the generated traffic ({history.From:yyyy-MM-dd} .. {history.Today.AddDays(-1):yyyy-MM-dd}: {s.HistoryDays} days, {history.Sites.Count} sites, Zipf sizes; {history.Dropped:N0} bot beacons dropped by the gateway's pipeline before the log), enriched by the gateway's pipeline and appended to the stopped silo's event log in {appended.TotalSeconds:N1} s (not measured). `--events N` sets its size.");
        report.Note($"Measured: from the first checkpoint movement ({Report.F(firstAfter.TotalSeconds)} s after the process started; {deliveredAtFirst:N0} events were delivered by then and are not counted) until every lane's checkpoint had passed its lane's last row, read from the log's checkpoints table every {PollEvery.TotalMilliseconds:N0} ms (a lane's checkpoint moves only after the grains took its batch). Whole run from the process start: {sinceLaunch.TotalSeconds:N1} s.");
        report.Note($"Profile of the drain: {profile.Describe()} (GC figures from the process start, start-up included).");
        report.Note("Verified: every site's pageviews and events over the history's days, through the query API, equal the generated ones (the scenario fails otherwise).");
        context.Targets.Add(new TargetResult("grid", LanesSummary.GridRate,
            $"{perSecond:N0} events/s ({events.Count:N0} events over {days} days, {history.Sites.Count} sites; drain {drain.TotalSeconds:N1} s, silo {siloCpu:N1} CPU-s, RSS {rss / 1048576.0:N0} MiB; totals verified)",
            met, profile.Bound()));
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

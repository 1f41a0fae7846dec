using Analytics.Testing;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Bench.Infra;
using Analytics.Bench.Traffic;
using HdrHistogram;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// 2. Freshness: background beacons at a fixed rate; meanwhile probe beacons with a unique page path on their own site,
/// each polled (every 20 ms) through POST /api/v2/query filtered on its path until it shows: lag = 202 to visible.
/// </summary>
public static class FreshnessScenario
{
    private const string ProbeSite = FreshnessProbe.ProbeSite;
    private static readonly TimeSpan PollEvery = FreshnessProbe.PollEvery;

    public static async Task<Report> RunAsync(BenchContext context)
    {
        var s = context.Settings;
        var generator = new TrafficGenerator(s.Seed, s.Sites);
        var beacons = LoadRunner.Prepare(generator.Live(2), s.Quick ? 5_000 : 50_000);
        await using var silo = await SiloProcess.StartAsync(context.NewDir("freshness"), context.SiloLog("freshness"), context.Settings.SiloEnvironment);
        await silo.RegisterSitesAsync([.. Enumerable.Range(0, s.Sites).Select(TrafficGenerator.SiteDomain), ProbeSite]);
        using var load = new LoadRunner(silo.BaseAddress, 64);
        using var probeHttp = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(10) }.Authorize();

        var lags = new LongConcurrentHistogram(1, 60_000_000, 3);
        var lost = 0;
        var probes = new List<Task>();
        var background = load.FixedRateAsync(beacons, s.FreshnessRate, s.FreshnessDuration);
        var sw = Stopwatch.StartNew();
        var n = 0;
        while (sw.Elapsed < s.FreshnessDuration && n < 400)
        {
            var id = n++;
            probes.Add(Task.Run(async () =>
            {
                if (!await FreshnessProbe.RunAsync(load, probeHttp, id.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), lags))
                {
                    Interlocked.Increment(ref lost);
                }
            }));
            await Task.Delay(s.ProbeEvery);
        }

        var bg = await background;
        await Task.WhenAll(probes);

        var report = new Report("freshness", "Freshness: 202 to visible in the query API");
        var rows = report.Table("target rate/s", "achieved rate/s", "probes", "not visible in 10 s", "lag p50 ms", "lag p99 ms", "lag max ms", "beacon p99 ms");
        rows.Add([Report.F(s.FreshnessRate, 0), Report.F(bg.PerSecond, 0), n.ToString(), lost.ToString(),
            Report.F(lags.GetValueAtPercentile(50) / 1000.0), Report.F(lags.GetValueAtPercentile(99) / 1000.0),
            Report.F(lags.GetMaxValue() / 1000.0), Report.F(bg.P99Ms, 2)]);
        report.Note($"Background load: {bg.Accepted:N0} beacons accepted, {bg.Failed:N0} failed. Probes every {s.ProbeEvery.TotalMilliseconds} ms, polled every {PollEvery.TotalMilliseconds} ms (lag resolution ±{PollEvery.TotalMilliseconds} ms).");
        report.Note("Default configuration: Analytics:Metrics:FlushInterval = 250 ms (the pre-aggregator's flush): an event waits for its lane's current round and then for a flush.");
        report.Note($"Target p99 < 1 s at 5,000 events/s: **{(lags.GetValueAtPercentile(99) < 1_000_000 && s.FreshnessRate >= 5000 ? "met" : s.FreshnessRate < 5000 ? "n/a at this rate" : "missed")}**.");
        var percentiles = new[] { 50.0, 75, 90, 95, 99, 99.9 };
        Report.BarPlot(Path.Combine(context.ResultsDir, "freshness.png"), $"Freshness lag at {s.FreshnessRate:N0} events/s", "ms",
            [.. percentiles.Select(p => $"p{p}")], ("lag", [.. percentiles.Select(p => lags.GetValueAtPercentile(p) / 1000.0)]));
        return report;
    }
}

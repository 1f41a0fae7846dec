using System.Diagnostics;
using Analytics.Bench.Infra;
using Analytics.Bench.Traffic;
using Analytics.Testing;
using HdrHistogram;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// 2. Freshness: background beacons at a fixed rate; meanwhile probe beacons with a unique page path on their own site,
/// each polled (every 20 ms) through POST /api/v2/query filtered on its path until it shows: lag = 202 to visible.
/// One measurement per offered rate (--rate 5000,15000), each against a fresh silo so no backlog carries over, after a
/// warm-up at that rate (--warmup, 60 s).
/// </summary>
public static class FreshnessScenario
{
    private const string ProbeSite = FreshnessProbe.ProbeSite;
    private static readonly TimeSpan PollEvery = FreshnessProbe.PollEvery;
    private static readonly double[] Percentiles = [50.0, 75, 90, 95, 99, 99.9];

    private sealed record Measured(double Rate, LoadResult Background, int Probes, int Lost, LongConcurrentHistogram Lags, ResourceProfile.Window Profile);

    public static async Task<Report> RunAsync(BenchContext context)
    {
        var s = context.Settings;
        var generator = new TrafficGenerator(s.Seed, s.Sites);
        var beacons = LoadRunner.Prepare(generator.Live(2), s.Quick ? 5_000 : 50_000);
        var measured = new List<Measured>();
        foreach (var rate in s.FreshnessRates)
        {
            measured.Add(await MeasureAsync(context, beacons, rate));
        }

        var report = new Report("freshness", "Freshness: 202 to visible in the query API");
        var rows = report.Table("offered rate/s", "achieved rate/s", "probes", "not visible in 10 s", "lag p50 ms", "lag p99 ms", "lag max ms", "beacon p99 ms", "target p99 < 1 s", "profile");
        foreach (var m in measured)
        {
            var p99 = m.Lags.TotalCount == 0 ? double.NaN : m.Lags.GetValueAtPercentile(99) / 1000.0;
            // Offered, not achieved: a silo that cannot take the rate (or loses probes) misses, whatever the lags it did show.
            var sustained = m.Background.PerSecond >= 0.95 * m.Rate;
            var met = p99 < 1_000 && m.Lost <= m.Probes / 100 && sustained;
            var verdict = met ? "met" : "missed";
            rows.Add([Report.F(m.Rate, 0), Report.F(m.Background.PerSecond, 0), m.Probes.ToString(), m.Lost.ToString(),
                Report.F(m.Lags.GetValueAtPercentile(50) / 1000.0), Report.F(p99), Report.F(m.Lags.GetMaxValue() / 1000.0), Report.F(m.Background.P99Ms, 2),
                $"**{verdict}**", m.Profile.Describe()]);
            var figure = $"lag p99 {Report.F(p99, 0)} ms (p50 {Report.F(m.Lags.GetValueAtPercentile(50) / 1000.0, 0)} ms), {m.Lost} of {m.Probes} probes not visible in 10 s; achieved {Report.F(m.Background.PerSecond, 0)}/s of {Report.F(m.Rate, 0)}/s offered"
                + (sustained ? "" : " (rate not sustained)");
            context.Targets.Add(new TargetResult("freshness", LanesSummary.Freshness(m.Rate), figure, met, m.Profile.Bound()));
        }

        report.Note($"Per rate: a fresh silo, warmed up for {s.Warmup.TotalSeconds:N0} s at the offered rate (not measured), then background beacons open-loop for {s.FreshnessDuration.TotalSeconds:N0} s (64 senders; beyond the silo's pace the schedule falls behind and sending stops at 1.5x the duration). Probes every {s.ProbeEvery.TotalMilliseconds} ms, polled every {PollEvery.TotalMilliseconds} ms (lag resolution ±{PollEvery.TotalMilliseconds} ms). The target counts as met when p99 < 1 s, at most 1 % of the probes were not visible within 10 s, and the silo took ≥ 95 % of the offered rate.");
        report.Note("Default configuration: an event waits for its lane's current pull (Analytics:EventLog:PullPeriod 10 ms between pulls) and for that batch's segment appends and checkpoint.");
        report.Note("Profile: CPU cores used while the background load ran, by the silo (its GC pause share and allocation rate from its System.Runtime meter on /metrics), the load generator (this process) and other processes; the silo's storage writes.");
        Report.BarPlot(Path.Combine(context.ResultsDir, "freshness.png"), "Freshness lag (202 → visible) per offered rate", "ms",
            [.. Percentiles.Select(p => $"p{p}")],
            [.. measured.Select(m => ($"{m.Rate:N0}/s offered", (double[])[.. Percentiles.Select(p => m.Lags.GetValueAtPercentile(p) / 1000.0)]))]);
        return report;
    }

    private static async Task<Measured> MeasureAsync(BenchContext context, LoadRunner.PreparedBeacon[] beacons, double rate)
    {
        var s = context.Settings;
        await using var silo = await SiloProcess.StartAsync(context.NewDir("freshness"), context.SiloLog("freshness"), context.Settings.SiloEnvironment);
        await silo.RegisterSitesAsync([.. Enumerable.Range(0, s.Sites).Select(TrafficGenerator.SiteDomain), ProbeSite]);
        using var load = new LoadRunner(silo.BaseAddress);
        using var probeHttp = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(10) }.Authorize();

        // Warm up at the offered rate: the measurement is of a silo that has been running, not of its first seconds.
        await load.FixedRateAsync(beacons, rate, s.Warmup);

        var lags = new LongConcurrentHistogram(1, 60_000_000, 3);
        var lost = 0;
        var probes = new List<Task>();
        var before = await ResourceProfile.CaptureAsync([silo.Pid], [silo.BaseAddress]);
        var background = load.FixedRateAsync(beacons, rate, s.FreshnessDuration);
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
        var profile = ResourceProfile.Window.Between(before, await ResourceProfile.CaptureAsync([silo.Pid], [silo.BaseAddress]));
        await Task.WhenAll(probes);
        Console.WriteLine($"freshness at {rate:N0}/s offered: {bg.PerSecond:N0}/s achieved, lag p99 {lags.GetValueAtPercentile(99) / 1000.0:N0} ms, {lost} of {n} probes lost; {profile.Describe()}");
        return new Measured(rate, bg, n, lost, lags, profile);
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Analytics.Bench.Infra;
using Analytics.Bench.Traffic;
using Analytics.Testing;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// 7. Soak: one site at a steady rate for a bounded time (5 minutes; --quick 25 s) against the embedded host, its RSS
/// sampled every few seconds. Afterwards every accepted beacon must be counted exactly once, and no request may fail;
/// the report gives the memory slope after warm-up (flat means no leak at this rate).
/// </summary>
public static class SoakScenario
{
    private const string Site = "soak.bench";
    private const int Pages = 50;

    public static async Task<Report> RunAsync(BenchContext context)
    {
        var s = context.Settings;
        await using var silo = await SiloProcess.StartAsync(context.NewDir("soak"), context.SiloLog("soak"), s.SiloEnvironment);
        await silo.RegisterSitesAsync([Site]);
        using var load = new LoadRunner(silo.BaseAddress);

        // Many client addresses, so the per-IP rate limit (600 a minute) is not what the soak measures.
        var beacons = Enumerable.Range(0, 4096).Select(i => new LoadRunner.PreparedBeacon(
            Encoding.UTF8.GetBytes($$"""{"n":"pageview","u":"https://{{Site}}/page/{{i % Pages}}","d":"{{Site}}","w":1440}"""),
            TrafficGenerator.UserAgents[i % TrafficGenerator.UserAgents.Length],
            $"198.51.100.{i % 250 + 1}")).ToArray();

        var samples = new List<(double Seconds, double RssMiB)>();
        using var stopSampling = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(s.SoakSampleEvery);
            do
            {
                samples.Add((clock.Elapsed.TotalSeconds, silo.RssBytes() / 1048576.0));
            }
            while (await timer.WaitForNextTickAsync(stopSampling.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
        });
        var result = await load.FixedRateAsync(beacons, s.SoakRate, s.SoakDuration);
        var sentFor = clock.Elapsed;

        using var query = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(10) }.Authorize();
        var counted = await CountedAsync(query, result.Accepted, s.DrainTimeout);
        await stopSampling.CancelAsync();
        await sampling;

        // Warm-up: the first fifth (JIT, first activations, SQLite pages); the slope is fitted to the rest of the load.
        var warm = samples.Where(p => p.Seconds >= sentFor.TotalSeconds / 5 && p.Seconds <= sentFor.TotalSeconds).ToList();
        var slope = Slope(warm) * 60;
        var report = new Report("soak", "Soak: steady load, errors, exact counts and memory over time");
        report.Table("duration s", "target rate/s", "achieved rate/s", "accepted", "failed", "counted", "exact", "RSS after warm-up MiB", "RSS at end MiB", "peak RSS MiB", "slope after warm-up MiB/min")
            .Add([Report.F(sentFor.TotalSeconds, 0), Report.F(s.SoakRate, 0), Report.F(result.PerSecond, 0), result.Accepted.ToString("N0"), result.Failed.ToString("N0"),
                counted.ToString("N0"), counted == result.Accepted ? "yes" : "**no**", Report.F(warm.FirstOrDefault().RssMiB, 0), Report.F(warm.LastOrDefault().RssMiB, 0),
                Report.F(silo.PeakRssBytes() / 1048576.0, 0), Report.F(slope, 2)]);
        report.Note($"Embedded host (SQLite log and grain state), one site, {Pages} pages, beacons from 250 client addresses; RSS sampled every {s.SoakSampleEvery.TotalSeconds:0} s from /proc. Counted = pageviews the query API reports once the log is delivered.");
        report.Note($"Machine load average at the end (2 shared cores): {File.ReadAllText("/proc/loadavg").Trim()}.");
        Report.LinePlot(Path.Combine(context.ResultsDir, "soak.png"), $"Host RSS during {sentFor.TotalSeconds:0} s at {s.SoakRate:N0} beacons/s", "seconds", "MiB",
            [.. samples.Select(p => p.Seconds)], [.. samples.Select(p => p.RssMiB)]);

        if (result.Failed > 0 || counted != result.Accepted)
        {
            report.Write(context.ResultsDir);
            throw new InvalidOperationException($"soak: {result.Failed} requests failed; {counted} of {result.Accepted} accepted beacons counted");
        }
        return report;
    }

    /// <summary>Polls the site's pageviews until they reach <paramref name="accepted"/> (or stop changing at the deadline).</summary>
    private static async Task<long> CountedAsync(HttpClient http, long accepted, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        long counted = -1;
        while (deadline.Elapsed < timeout)
        {
            using var response = await http.PostAsJsonAsync("api/v2/query", new { site_id = Site, metrics = new[] { "pageviews" }, date_range = "7d" });
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"soak: the query API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            var json = await response.Content.ReadFromJsonAsync<JsonElement>();
            counted = json.GetProperty("results").EnumerateArray().Select(r => (long)r.GetProperty("metrics")[0].GetDouble()).FirstOrDefault();
            if (counted >= accepted)
            {
                return counted;
            }

            await Task.Delay(250);
        }
        return counted;
    }

    /// <summary>Least-squares slope of RSS over seconds.</summary>
    private static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return 0;
        }
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? 0 : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
    }
}

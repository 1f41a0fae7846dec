using Analytics.Bench.Infra;
using Analytics.Bench.Traffic;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// 1. Ingest ceiling: closed-loop beacon load (HTTP/1.1 keep-alive, N connections) against the embedded silo, then the
/// same load against a bare Kestrel process that only answers 202. Generator and server share this machine's cores.
/// </summary>
public static class IngestScenario
{
    public static async Task<Report> RunAsync(BenchContext context)
    {
        var s = context.Settings;
        var generator = new TrafficGenerator(s.Seed, s.Sites);
        var beacons = LoadRunner.Prepare(generator.Live(1), s.Quick ? 5_000 : 50_000);
        var sites = Enumerable.Range(0, s.Sites).Select(TrafficGenerator.SiteDomain).ToList();

        LoadResult silo;
        long rssAfter;
        await using (var process = await SiloProcess.StartAsync(context.NewDir("ingest"), context.SiloLog("ingest")))
        {
            await process.RegisterSitesAsync(sites);
            await Task.Delay(1000);
            context.IdleSiloRss = process.RssBytes();
            using var load = new LoadRunner(process.BaseAddress, s.IngestConnections);
            silo = await load.ClosedLoopAsync(beacons, s.IngestConnections, s.IngestWarmup, s.IngestDuration);
            rssAfter = process.RssBytes();
        }

        LoadResult bare;
        var port = SiloProcess.FreePort();
        using (var kestrel = await BareKestrel.StartProcessAsync(port))
        {
            using var load = new LoadRunner(new Uri($"http://127.0.0.1:{port}/"), s.IngestConnections);
            bare = await load.ClosedLoopAsync(beacons, s.IngestConnections, s.IngestWarmup, s.IngestDuration);
            kestrel.Kill();
            await kestrel.WaitForExitAsync();
        }

        var report = new Report("ingest", "Ingest ceiling: embedded silo vs bare Kestrel");
        var rows = report.Table("endpoint", "connections", "seconds", "202s", "failed", "beacons/s", "p50 ms", "p99 ms");
        foreach (var (name, r) in new[] { ("embedded silo (POST /api/event)", silo), ("bare Kestrel (202 only)", bare) })
        {
            rows.Add([name, s.IngestConnections.ToString(), Report.F(r.Elapsed.TotalSeconds), r.Accepted.ToString("N0"), r.Failed.ToString("N0"),
                Report.F(r.PerSecond, 0), Report.F(r.P50Ms, 2), Report.F(r.P99Ms, 2)]);
        }

        var ratio = silo.PerSecond / Math.Max(1, bare.PerSecond);
        report.Note($"Ratio silo / bare Kestrel: **{ratio:P0}** (target: >= 50%). Target >= 20,000 beacons/s: **{(silo.PerSecond >= 20_000 ? "met" : "missed")}** ({silo.PerSecond:N0}/s).");
        report.Note($"Silo RSS idle {context.IdleSiloRss / 1048576.0:N0} MiB, after the run {rssAfter / 1048576.0:N0} MiB.");
        report.Note("The load generator runs in the bench process on the same cores as the server; both endpoints get identical beacons (5% bots, 10% cookieless).");
        Report.BarPlot(Path.Combine(context.ResultsDir, "ingest.png"), "Ingest ceiling", "beacons/s",
            ["embedded silo", "bare Kestrel"], ("beacons/s", [silo.PerSecond, bare.PerSecond]));
        return report;
    }
}

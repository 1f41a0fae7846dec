using Analytics.Bench.Infra;
using Analytics.Bench.Traffic;
using Analytics.Testing;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// 1. Ingest ceiling: closed-loop beacon load (HTTP/1.1 keep-alive, N connections) against the embedded silo, then the
/// same load against a bare Kestrel process that only answers 202. Generator and server share this machine's cores.
/// </summary>
public static class IngestScenario
{
    /// <summary>The beacons of the ingest load; the pair scenario sends the same, so what it decides holds for this one.</summary>
    internal static LoadRunner.PreparedBeacon[] LiveBeacons(TrafficGenerator generator, BenchSettings s) =>
        LoadRunner.Prepare(generator.Live(1), s.Quick ? 5_000 : 50_000);

    public static async Task<Report> RunAsync(BenchContext context)
    {
        var s = context.Settings;
        var generator = new TrafficGenerator(s.Seed, s.Sites);
        var beacons = LiveBeacons(generator, s);
        var sites = Enumerable.Range(0, s.Sites).Select(TrafficGenerator.SiteDomain).ToList();

        LoadResult silo;
        LoadResult siloBots;
        double siloCpu;
        ResourceProfile.Window profile;
        long rssAfter;
        await using (var process = await SiloProcess.StartAsync(context.NewDir("ingest"), context.SiloLog("ingest"), context.Settings.SiloEnvironment))
        {
            await process.RegisterSitesAsync(sites);
            await Task.Delay(1000);
            context.IdleSiloRss = process.RssBytes();
            using var load = new LoadRunner(process.BaseAddress);
            var before = await ResourceProfile.CaptureAsync([process.Pid], [process.BaseAddress]);
            silo = await load.ClosedLoopAsync(beacons, s.IngestConnections, s.Warmup, s.IngestDuration);
            var after = await ResourceProfile.CaptureAsync([process.Pid], [process.BaseAddress]);
            profile = ResourceProfile.Window.Between(before, after);
            siloCpu = after.ServerCpu - before.ServerCpu;
            rssAfter = process.RssBytes();
            // Same endpoint, bot beacons only: the pipeline drops them before the event log (HTTP + parse + pipeline).
            var bots = LoadRunner.Prepare(generator.Live(3, botShare: 1.0), 2_000);
            siloBots = await load.ClosedLoopAsync(bots, s.IngestConnections, TimeSpan.FromSeconds(1), s.IngestDuration / 2);
        }

        // The embedded event log alone (the silo's SqliteEventLog class in this process, no HTTP, no pump draining it).
        LoadResult logOnly;
        double logCpuMicros;
        {
            var enricher = new OfflineEnricher(sites);
            var events = new List<Analytics.GrainInterfaces.Events.TrackedEvent>();
            foreach (var b in generator.History(DateTime.UtcNow.AddHours(-1), DateTime.UtcNow, 5_000, botShare: 0))
            {
                events.Add((await enricher.EnrichAsync(b))!);
            }

            // This process's CPU over the appends: the log's writer and its appenders, nothing else runs meanwhile.
            var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            logOnly = await HistoryImport.AppendClosedLoopAsync(context.NewDir("logonly"), events, s.IngestConnections, s.IngestDuration / 2);
            logCpuMicros = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / Math.Max(1, logOnly.Accepted);
        }

        LoadResult bare;
        var port = FreePort.Next();
        using (var kestrel = await BareKestrel.StartProcessAsync(port))
        {
            using var load = new LoadRunner(new Uri($"http://127.0.0.1:{port}/"));
            bare = await load.ClosedLoopAsync(beacons, s.IngestConnections, s.Warmup, s.IngestDuration);
            kestrel.Kill();
            await kestrel.WaitForExitAsync();
        }

        var report = new Report("ingest", "Ingest ceiling: embedded silo vs bare Kestrel");
        var rows = report.Table("endpoint", "connections", "seconds", "202s", "failed", "beacons/s", "p50 ms", "p99 ms");
        foreach (var (name, r) in new[]
        {
            ("embedded silo (POST /api/event)", silo),
            ("embedded silo, bot beacons only (dropped before the log)", siloBots),
            ("SqliteEventLog.AppendAsync alone (in-process, no HTTP)", logOnly),
            ("bare Kestrel (202 only)", bare),
        })
        {
            rows.Add([name, s.IngestConnections.ToString(), Report.F(r.Elapsed.TotalSeconds), r.Accepted.ToString("N0"), r.Failed.ToString("N0"),
                Report.F(r.PerSecond, 0), Report.F(r.P50Ms, 2), Report.F(r.P99Ms, 2)]);
        }

        var ratio = silo.PerSecond / Math.Max(1, bare.PerSecond);
        report.Note($"Target >= 20,000 beacons/s: **{(silo.PerSecond >= 20_000 ? "met" : "missed")}** ({silo.PerSecond:N0}/s). Target >= 50 % of bare Kestrel: **{(ratio >= 0.5 ? "met" : "missed")}** ({ratio:P0}).");
        report.Note($"Profile of the silo's run (warm-up + measured): {profile.Describe()}.");
        // The closed loop's warm-up beacons are not counted: the ceiling uses the measured window's share of the CPU.
        var ceiling = ResourceProfile.CpuCeiling(siloCpu * s.IngestDuration / (s.Warmup + s.IngestDuration), silo.Accepted, "beacon");
        report.Note($"{ceiling} (the load generator shares them).");
        var figure = $"{silo.PerSecond:N0} beacons/s, p99 {silo.P99Ms:N0} ms ({s.IngestConnections} connections); bare Kestrel {bare.PerSecond:N0}/s, ratio {ratio:P0}";
        context.Targets.Add(new TargetResult("ingest", LanesSummary.IngestRate, figure, silo.PerSecond >= 20_000, $"{ceiling}; {profile.Bound()}"));
        context.Targets.Add(new TargetResult("ingest", LanesSummary.IngestRatio, figure, ratio >= 0.5,
            $"{profile.Bound()}; the gateway alone (bot beacons, dropped before the log) {siloBots.PerSecond:N0}/s, the event log alone {logOnly.PerSecond:N0} appends/s"));
        report.Note($"Silo CPU during warm-up + measured run: {siloCpu:N1} CPU-seconds over {(s.Warmup + s.IngestDuration).TotalSeconds:N0} s wall ({siloCpu / (s.Warmup + s.IngestDuration).TotalSeconds:P0} of one core; the machine has {Environment.ProcessorCount}).");
        report.Note($"The event log alone: {logCpuMicros:N1} µs of CPU per append (this process: {s.IngestConnections} appenders and the log's writer).");
        report.Note($"Silo RSS idle {context.IdleSiloRss / 1048576.0:N0} MiB, after the run {rssAfter / 1048576.0:N0} MiB.");
        report.Note($"Machine load average during the run (other engineers share it): {File.ReadAllText("/proc/loadavg").Trim()}.");
        report.Note("The load generator runs in the bench process on the same cores as the server, a lean HTTP/1.1 client (one request written per send on each keep-alive connection, the answer read to its end, as wrk does; HttpClient cost ~35 µs of the shared cores per beacon) whose sockets complete on the runtime's event threads, not through the thread pool (`DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS`, this process only: the servers run with the runtime's defaults); both endpoints get identical beacons (5% bots, 10% cookieless).");
        Report.BarPlot(Path.Combine(context.ResultsDir, "ingest.png"), "Ingest ceiling", "beacons/s",
            ["embedded silo", "silo, bots only", "event log alone", "bare Kestrel"], ("beacons/s", [silo.PerSecond, siloBots.PerSecond, logOnly.PerSecond, bare.PerSecond]));
        return report;
    }
}

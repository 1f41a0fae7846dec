using Analytics.Bench.Infra;
using Analytics.Bench.Traffic;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// Two silos under the same beacon load at the same time, B with --pair-env's extra environment or on --pair-silo's
/// other build (neither: an A/A run, the method's own noise): each window gives both silos' CPU per accepted beacon.
/// This machine's speed drifts by a fifth within minutes (other tenants), which alternated runs of one silo at a time
/// cannot tell from a change of a few per cent; two silos measured side by side see the same machine.
/// </summary>
public static class PairScenario
{
    public static async Task<Report> RunAsync(BenchContext context)
    {
        var s = context.Settings;
        var beacons = IngestScenario.LiveBeacons(new TrafficGenerator(s.Seed, s.Sites), s);
        var sites = Enumerable.Range(0, s.Sites).Select(TrafficGenerator.SiteDomain).ToList();
        var environmentB = new Dictionary<string, string>(s.SiloEnvironment);
        foreach (var (key, value) in s.PairEnvironment)
        {
            environmentB[key] = value;
        }

        await using var a = await SiloProcess.StartAsync(context.NewDir("pair-a"), context.SiloLog("pair-a"), s.SiloEnvironment);
        await using var b = await SiloProcess.StartAsync(context.NewDir("pair-b"), context.SiloLog("pair-b"), environmentB, dll: s.PairSiloDll);
        await a.RegisterSitesAsync(sites);
        await b.RegisterSitesAsync(sites);
        // Each silo gets half the connections: together they load the machine as the ingest scenario's one silo does.
        var connections = Math.Max(1, s.IngestConnections / 2);
        using var loadA = new LoadRunner(a.BaseAddress);
        using var loadB = new LoadRunner(b.BaseAddress);
        await Task.WhenAll(loadA.WarmUpAsync(beacons, connections, s.Warmup), loadB.WarmUpAsync(beacons, connections, s.Warmup));

        var report = new Report("pair", "Two silos under the same load at once: CPU per beacon, A against B");
        var rows = report.Table("window", "A beacons/s", "A failed", "A µs per beacon (user + kernel)", "B beacons/s", "B failed", "B µs per beacon (user + kernel)", "B / A");
        var perBeacon = new List<(double A, double B)>();
        for (var window = 1; window <= s.PairWindows; window++)
        {
            var (beforeA, beforeB) = (ProcStats.CountersOf(a.Pid), ProcStats.CountersOf(b.Pid));
            var results = await Task.WhenAll(
                loadA.ClosedLoopAsync(beacons, connections, TimeSpan.Zero, s.IngestDuration),
                loadB.ClosedLoopAsync(beacons, connections, TimeSpan.Zero, s.IngestDuration));
            var costA = ProcStats.CountersOf(a.Pid).Minus(beforeA);
            var costB = ProcStats.CountersOf(b.Pid).Minus(beforeB);
            if (results.Any(r => r.Accepted == 0))
            {
                throw new InvalidOperationException($"pair window {window}: a silo accepted no beacon (A {results[0].Failed:N0} failed, B {results[1].Failed:N0} failed)");
            }

            var (microsA, microsB) = (Micros(costA, results[0]), Micros(costB, results[1]));
            perBeacon.Add((microsA, microsB));
            rows.Add([window.ToString(), Report.F(results[0].PerSecond, 0), results[0].Failed.ToString("N0"), Describe(costA, results[0]),
                Report.F(results[1].PerSecond, 0), results[1].Failed.ToString("N0"), Describe(costB, results[1]), Report.F(100 * microsB / microsA) + " %"]);
        }

        var (meanA, meanB) = (perBeacon.Average(p => p.A), perBeacon.Average(p => p.B));
        report.Note($"B's build: {s.PairSiloDll ?? "this one (A's)"}. B's extra environment: {(s.PairEnvironment.Count == 0 ? "none" : string.Join(", ", s.PairEnvironment.Select(e => $"`{e.Key}={e.Value}`")))}" +
            $"{(s.SiloEnvironment.Count == 0 ? "" : $"; both: {string.Join(", ", s.SiloEnvironment.Select(e => $"`{e.Key}={e.Value}`"))}")}" +
            $"{(s.PairSiloDll is null && s.PairEnvironment.Count == 0 ? " (an A/A run: what separates two identical silos is the method's noise)" : "")}.");
        report.Note($"Mean CPU per beacon: A {meanA:N1} µs, B {meanB:N1} µs, B / A {Report.F(100 * meanB / meanA)} %; B cost less in {perBeacon.Count(p => p.B < p.A)} of {perBeacon.Count} windows. " +
            "A starts, warms up and is loaded first: an A/A run read 98.1 % (bench/README.md, session 42), so compare against that, or run again with the roles swapped.");
        report.Note($"Each silo: {connections} connections, closed loop, {s.Warmup.TotalSeconds:N0} s of warm-up, then {s.PairWindows} windows of {s.IngestDuration.TotalSeconds:N0} s; CPU from /proc/PID/stat.");
        report.Note($"Machine load average at the end (other engineers share it): {File.ReadAllText("/proc/loadavg").Trim()}.");
        Report.BarPlot(Path.Combine(context.ResultsDir, "pair.png"), "CPU per beacon, two silos at once", "µs per beacon",
            [.. perBeacon.Select((_, i) => $"window {i + 1}")], ("A", [.. perBeacon.Select(p => p.A)]), ("B", [.. perBeacon.Select(p => p.B)]));
        return report;
    }

    private static double Micros(ProcStats.Counters cost, LoadResult load) =>
        Math.Max(1 / ProcStats.TicksPerSecond, cost.UserSeconds + cost.SystemSeconds) * 1e6 / load.Accepted;

    private static string Describe(ProcStats.Counters cost, LoadResult load) =>
        $"{Micros(cost, load):N1} ({cost.UserSeconds * 1e6 / load.Accepted:N1} + {cost.SystemSeconds * 1e6 / load.Accepted:N1})";
}

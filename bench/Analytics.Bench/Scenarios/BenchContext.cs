using System.Diagnostics;
using Analytics.Bench.Infra;
using Analytics.Bench.Traffic;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Bench.Scenarios;

/// <summary>What scenarios share within one run: settings, folders, and the loaded history (built once).</summary>
public sealed class BenchContext(BenchSettings settings, string workDir, string resultsDir) : IAsyncDisposable
{
    private LoadedHistory? _history;
    private GeneratedHistory? _generated;

    public BenchSettings Settings => settings;
    public string WorkDir => workDir;
    public string ResultsDir => resultsDir;
    public long? IdleSiloRss { get; set; }

    /// <summary>The #17 targets measured in this run (each scenario adds its own), for results/lanes.md.</summary>
    public List<TargetResult> Targets { get; } = [];

    /// <summary>Scenarios of this run that were skipped, with the reason (their targets are "not measured").</summary>
    public Dictionary<string, string> Skipped { get; } = new(StringComparer.Ordinal);

    public string NewDir(string name)
    {
        var dir = Path.Combine(workDir, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public string SiloLog(string name) => Path.Combine(workDir, name + ".silo.log");

    public async Task<LoadedHistory> HistoryAsync()
    {
        if (_history is not null)
        {
            return _history;
        }

        var s = settings;
        var (events, sites, from, today, dropped) = await GeneratedAsync();
        var dir = NewDir("history");
        var sw = Stopwatch.StartNew();
        await HistoryImport.AppendAsync(dir, events);
        var appended = sw.Elapsed;
        Console.WriteLine($"history: {events.Count:N0} events appended to the log in {appended.TotalSeconds:F1}s");

        var silo = await SiloProcess.StartAsync(dir, SiloLog("history"), settings.SiloEnvironment);
        sw.Restart();
        try
        {
            await silo.RegisterSitesAsync(sites);
            // A guard against a stalled pump, not a speed target: it grows with the history (2,000 events/s at least).
            var timeout = TimeSpan.FromSeconds(Math.Max(s.DrainTimeout.TotalSeconds, events.Count / 2_000.0));
            await WaitDrainedAsync(dir, timeout);
        }
        catch
        {
            // The next scenario starts its own silo: this one must not keep loading the machine.
            await silo.DisposeAsync();
            throw;
        }

        var drained = sw.Elapsed;
        Console.WriteLine($"history: the silo's pump delivered {events.Count:N0} events through the grains in {drained.TotalSeconds:F1}s ({events.Count / drained.TotalSeconds:N0} events/s)");
        _history = new LoadedHistory(dir, silo, events, sites, DateOnly.FromDateTime(from), DateOnly.FromDateTime(today.AddDays(-1)), drained, dropped);
        return _history;
    }

    /// <summary>
    /// The generated history (N events, 30 days, the sites), enriched by the gateway's pipeline; built once per run and
    /// shared by the scenarios that load it (through the grains, or straight into segments).
    /// </summary>
    public async Task<GeneratedHistory> GeneratedAsync() => _generated ??= await GenerateAsync(settings.HistoryEvents);

    /// <summary>A history of <paramref name="count"/> generated events like the shared one, not kept by the run (the shared one when it is that size).</summary>
    public async Task<GeneratedHistory> GeneratedAsync(int count) => count == settings.HistoryEvents ? await GeneratedAsync() : await GenerateAsync(count);

    private async Task<GeneratedHistory> GenerateAsync(int count)
    {
        var s = settings;
        var today = DateTime.UtcNow.Date;
        var from = today.AddDays(-s.HistoryDays);
        var generator = new TrafficGenerator(s.Seed, s.Sites);
        var sites = Enumerable.Range(0, s.Sites).Select(TrafficGenerator.SiteDomain).ToList();
        var sw = Stopwatch.StartNew();
        var beacons = generator.History(from, today, count);
        var generated = sw.Elapsed;
        var enricher = new OfflineEnricher(sites);
        var events = new List<TrackedEvent>(beacons.Count);
        foreach (var b in beacons)
        {
            if (await enricher.EnrichAsync(b) is { } e)
            {
                events.Add(e);
            }
        }

        var dropped = beacons.Count - events.Count;
        Console.WriteLine($"history: {events.Count:N0} events ({dropped:N0} bot beacons dropped by the pipeline) over {s.HistoryDays} days, {s.Sites} sites; generated in {generated.TotalSeconds:F1}s, enriched in {(sw.Elapsed - generated).TotalSeconds:F1}s");
        return new GeneratedHistory(events, sites, from, today, dropped);
    }

    public static async Task WaitDrainedAsync(string dataDir, TimeSpan timeout)
    {
        var progress = new LaneProgress(dataDir);
        var tails = progress.Tails();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (LaneProgress.Drained(tails, progress.Checkpoints()))
            {
                return;
            }

            await Task.Delay(100);
        }

        var (appended, delivered) = progress.Count();
        throw new TimeoutException($"the pump delivered {delivered:N0} of {appended:N0} events within {timeout}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_history is not null)
        {
            await _history.Silo.DisposeAsync();
        }
    }
}

public sealed class LoadedHistory(
    string dataDir, SiloProcess silo, List<TrackedEvent> events, List<string> sites, DateOnly first, DateOnly last, TimeSpan drain, int droppedBots)
{
    public string DataDir => dataDir;
    public SiloProcess Silo { get; set; } = silo;
    public List<TrackedEvent> Events => events;
    public List<string> Sites => sites;
    public DateOnly First => first;
    public DateOnly Last => last;
    public TimeSpan Drain => drain;
    public int DroppedBots => droppedBots;
    public string BiggestSite => sites[0];
}

/// <summary>Generated, enriched events of [From, Today) over the sites (the first is the biggest), and the bots the pipeline dropped.</summary>
public sealed record GeneratedHistory(List<TrackedEvent> Events, List<string> Sites, DateTime From, DateTime Today, int Dropped)
{
    public string BiggestSite => Sites[0];
}

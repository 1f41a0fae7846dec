using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using BenchmarkDotNet.Attributes;

namespace Analytics.Bench.Micro;

/// <summary>
/// grains/Segments/SegmentBuilder: an open day segment holding ~100k events (34k sessions) takes a lane's batch of 1,000
/// events (new sessions and snapshots of sessions it holds) and builds the scannable segment again, against applying and
/// building the same rows from scratch. Setup prints what an open segment holds per event and per session for ~900k
/// events of one day, applied as lane batches of rows with their own strings (as deserialized).
/// </summary>
[MemoryDiagnoser]
public class SegmentBuilderBenchmarks
{
    private const int BatchEvents = 1_000;

    /// <summary>Appends (or builds) per measured call: one alone is too short to time on this machine.</summary>
    private const int Operations = 8;
    private static readonly DateTime Day = new(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);
    private static readonly SegmentKey Key = SegmentKey.Of(SegmentDay.Site, Day);

    private Analytics.Grains.Segments.Segment _held = null!;
    private SegmentAppend _all = null!;
    private SegmentAppend _batch = null!;
    /// <summary>Builders the measured call works on, one per operation (each run needs builders in the same state).</summary>
    private SegmentBuilder[] _builders = [];

    [GlobalSetup]
    public void Setup()
    {
        PrintBytesPerRow();
        // The batch: the events of 200 sessions the segment has not seen, and others at random, up to 1,000, with a
        // snapshot of every session they touch (a newer version for the sessions held).
        var day = new SegmentDay(Day, sessions: 33_900);
        var held = day.Sessions.Take(33_700).Select(s => s.SessionId).ToHashSet();
        var random = new Random(17);
        var inBatch = Enumerable.Range(0, day.Events.Count).Where(i => !held.Contains(day.Events[i].Session)).ToHashSet();
        while (inBatch.Count < BatchEvents)
        {
            inBatch.Add(random.Next(day.Events.Count));
        }

        var builder = new SegmentBuilder(Key);
        builder.Apply(new SegmentAppend
        {
            Producer = 1,
            Sequence = 1,
            Events = [.. day.Events.Where((_, i) => !inBatch.Contains(i))],
            Sessions = [.. day.Sessions.Where(s => held.Contains(s.SessionId))],
        });
        _held = builder.Build();
        var touched = inBatch.Select(i => day.Events[i].Session).ToHashSet();
        _batch = new SegmentAppend
        {
            Producer = 1,
            Sequence = 2,
            Events = [.. inBatch.Order().Select(i => day.Events[i])],
            Sessions = [.. day.Sessions.Where(s => touched.Contains(s.SessionId)).Select(s => held.Contains(s.SessionId) ? s with { Version = s.Version + 100 } : s)],
        };
        _all = new SegmentAppend { Producer = 1, Sequence = 2, Events = day.Events, Sessions = [.. _batch.Sessions, .. day.Sessions.Where(s => held.Contains(s.SessionId) && !touched.Contains(s.SessionId))] };
        // InvocationCount is 1 here (each run needs a fresh builder): without this the few runs measure unoptimized code.
        for (var i = 0; i < 40; i++)
        {
            var warm = SegmentBuilder.Reopen(_held);
            warm.Apply(_batch);
            warm.Build();
            new SegmentBuilder(Key).Apply(_batch);
        }

        Console.WriteLine($"// held: {_held.EventCount:N0} events, {_held.SessionCount:N0} sessions; batch: {_batch.Events.Count:N0} events, {_batch.Sessions.Count:N0} sessions");
    }

    [IterationSetup(Targets = [nameof(Append)])]
    public void ReopenHeld() => _builders = [.. Enumerable.Range(0, Operations).Select(_ => SegmentBuilder.Reopen(_held))];

    [IterationSetup(Targets = [nameof(BuildAfterAppend)])]
    public void ReopenAndAppend()
    {
        ReopenHeld();
        foreach (var builder in _builders)
        {
            builder.Apply(_batch);
        }
    }

    [Benchmark(Description = "append a lane batch (1k events) to a 100k-event segment", OperationsPerInvoke = Operations)]
    public int Append()
    {
        var applied = 0;
        foreach (var builder in _builders)
        {
            applied += builder.Apply(_batch) ? 1 : 0;
        }

        return applied;
    }

    [Benchmark(Description = "build after that append", OperationsPerInvoke = Operations)]
    public int BuildAfterAppend()
    {
        var events = 0;
        foreach (var builder in _builders)
        {
            events += builder.Build().EventCount;
        }

        return events;
    }

    [Benchmark(Description = "apply and build the same rows from scratch", Baseline = true)]
    public Analytics.Grains.Segments.Segment BuildFromScratch()
    {
        var builder = new SegmentBuilder(Key);
        builder.Apply(_all);
        return builder.Build();
    }

    /// <summary>Managed bytes an open segment holds per event (events only) and per session (sessions only), built or not.</summary>
    private static void PrintBytesPerRow()
    {
        var day = new SegmentDay(Day, sessions: 300_000);
        Measure("event", day.Events.Count, (i, n) => new SegmentAppend { Producer = 1, Sequence = i + 1, Events = [.. day.Events.Skip(i).Take(n).Select(Copy)] });
        Measure("session", day.Sessions.Count, (i, n) => new SegmentAppend { Producer = 1, Sequence = i + 1, Sessions = [.. day.Sessions.Skip(i).Take(n).Select(Copy)] });
    }

    /// <summary>Applies <paramref name="rows"/> rows as lane batches, each made (its rows with strings of their own) just before it is applied.</summary>
    private static void Measure(string what, int rows, Func<int, int, SegmentAppend> batch)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var builder = new SegmentBuilder(Key);
        for (var i = 0; i < rows; i += BatchEvents)
        {
            builder.Apply(batch(i, Math.Min(BatchEvents, rows - i)));
        }

        var open = GC.GetTotalMemory(forceFullCollection: true) - before;
        var built = builder.Build();
        var withBuilt = GC.GetTotalMemory(forceFullCollection: true) - before;
        Console.WriteLine($"// open segment, {rows:N0} {what}s: {(double)open / rows:F0} B/{what} applied, {(double)withBuilt / rows:F0} B/{what} once built ({built.EventCount + built.SessionCount:N0} rows)");
        GC.KeepAlive(builder);
    }

    /// <summary>The row with strings of its own, as the serializer delivers it.</summary>
    private static EventRow Copy(EventRow e) => e with
    {
        Name = Fresh(e.Name),
        Pathname = Fresh(e.Pathname),
        Hostname = Fresh(e.Hostname),
        RevenueCurrency = FreshOrNull(e.RevenueCurrency),
        Props = e.Props?.ToDictionary(p => Fresh(p.Key), p => Fresh(p.Value)),
    };

    private static SessionRow Copy(SessionRow s) => s with
    {
        EntryPage = Fresh(s.EntryPage),
        ExitPage = Fresh(s.ExitPage),
        Hostname = Fresh(s.Hostname),
        Source = Fresh(s.Source),
        Referrer = FreshOrNull(s.Referrer),
        Channel = Fresh(s.Channel),
        UtmSource = FreshOrNull(s.UtmSource),
        UtmMedium = FreshOrNull(s.UtmMedium),
        UtmCampaign = FreshOrNull(s.UtmCampaign),
        Device = Fresh(s.Device),
        Browser = Fresh(s.Browser),
        BrowserVersion = Fresh(s.BrowserVersion),
        Os = Fresh(s.Os),
        OsVersion = Fresh(s.OsVersion),
        Country = Fresh(s.Country),
        Region = FreshOrNull(s.Region),
        City = FreshOrNull(s.City),
        Screen = FreshOrNull(s.Screen),
    };

    private static string Fresh(string value) => new(value.AsSpan());

    private static string? FreshOrNull(string? value) => value is null ? null : Fresh(value);
}

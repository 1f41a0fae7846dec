using Analytics.Bench.Traffic;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains.Lanes;
using BenchmarkDotNet.Attributes;

namespace Analytics.Bench.Micro;

/// <summary>
/// grains/Lanes/LaneSessionTable: sessionizing one delivered batch of 1,000 events, as a lane's turn does (sessions,
/// event rows per segment, changed visitors for the checkpoint; no storage). Each iteration starts from a table filled
/// with an hour of the pool's traffic (as many events as visitors), then takes the next hour in 1,000-event batches.
/// Visitors are drawn uniformly from the pool: with 10,000 most events continue a session, with 100,000 most open one.
/// Events are the generator's, enriched by the gateway's pipeline, on one site.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class LaneSessionBenchmarks
{
    private const int BatchSize = 1_000;
    private const int MeasuredBatches = 50;

    private LaneEvent[][] _warm = [];
    private LaneEvent[][] _measured = [];
    private LaneSessionTable _table = null!;

    [Params(10_000, 100_000)]
    public int Visitors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var site = TrafficGenerator.SiteDomain(0);
        var enricher = new OfflineEnricher([site]);
        var start = DateTime.UtcNow.Date.AddDays(-1);
        var templates = new TrafficGenerator(11, 1).History(start, start.AddDays(1), 2_000)
            .Select(b => enricher.EnrichAsync(b).AsTask().GetAwaiter().GetResult())
            .OfType<TrackedEvent>()
            .ToArray();
        var random = new Random(5);
        var offset = 0L;

        // Offsets and times increase through both streams: an hour to fill the table, then the measured hour.
        LaneEvent[][] Stream(int events, DateTime from) =>
        [
            .. Enumerable.Range(0, events).Select(i => new LaneEvent(++offset, templates[random.Next(templates.Length)] with
            {
                Id = Guid.CreateVersion7(),
                VisitorId = $"v{random.Next(Visitors):D7}",
                Timestamp = from.AddTicks(TimeSpan.TicksPerHour * i / events),
            })).Chunk(BatchSize),
        ];

        _warm = Stream(Visitors, start.AddHours(12));
        _measured = Stream(BatchSize * MeasuredBatches, start.AddHours(13));
    }

    [IterationSetup]
    public void Fill()
    {
        _table = new LaneSessionTable(1);
        foreach (var batch in _warm)
        {
            _table.Sessionize(batch);
        }
    }

    [Benchmark(Description = "sessionize a 1,000-event batch", OperationsPerInvoke = MeasuredBatches)]
    public int Sessionize()
    {
        var appends = 0;
        foreach (var batch in _measured)
        {
            appends += _table.Sessionize(batch).Appends.Count;
        }

        return appends;
    }

    [GlobalCleanup]
    public void Report() =>
        Console.WriteLine($"// lane table after the last iteration: {_table.OpenSessions:N0} visitors held, ~{_table.EstimatedBytes:N0} bytes ({_table.EstimatedBytes / Math.Max(1, _table.OpenSessions):N0} per visitor)");
}

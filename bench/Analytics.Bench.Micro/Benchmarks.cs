using Analytics.Bench.Traffic;
using Analytics.Gateway.Enrichment;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Lanes;
using Analytics.Grains.Segments;
using BenchmarkDotNet.Attributes;

namespace Analytics.Bench.Micro;

/// <summary>gateway/Enrichment/UserAgentParser: the cached hot path and a cold parse of distinct strings.</summary>
[MemoryDiagnoser]
public class UserAgentBenchmarks
{
    private readonly UserAgentParser _warm = new();
    private string[] _distinct = [];

    [GlobalSetup]
    public void Setup()
    {
        _distinct = [.. Enumerable.Range(0, 1000).Select(i => TrafficGenerator.UserAgents[i % TrafficGenerator.UserAgents.Length] + " build/" + i)];
        _warm.Parse(TrafficGenerator.UserAgents[0]);
    }

    [Benchmark(Description = "Parse, cached UA")]
    public UserAgentInfo Cached() => _warm.Parse(TrafficGenerator.UserAgents[0]);

    [Benchmark(Description = "Parse, 1000 distinct UAs (uncached)", OperationsPerInvoke = 1000)]
    public int Uncached()
    {
        var parser = new UserAgentParser();
        var bots = 0;
        foreach (var ua in _distinct)
        {
            bots += parser.Parse(ua).IsBot ? 1 : 0;
        }

        return bots;
    }
}

/// <summary>gateway/Ingestion: the whole ordered pipeline for one beacon (site lookup from a fixed table).</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private OfflineEnricher _enricher = null!;
    private SyntheticBeacon[] _beacons = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new TrafficGenerator(7, 5);
        _enricher = new OfflineEnricher(Enumerable.Range(0, 5).Select(TrafficGenerator.SiteDomain));
        _beacons = [.. generator.History(DateTime.UtcNow.AddDays(-1), DateTime.UtcNow, 1000)];
    }

    [Benchmark(Description = "pipeline + ToTrackedEvent, per beacon")]
    public async Task<TrackedEvent?> Enrich() => await _enricher.EnrichAsync(_beacons[_next++ % _beacons.Length]);
}

/// <summary>grain-interfaces/Sketches/VisitorSketch: add and merge, exact and dense.</summary>
[MemoryDiagnoser]
public class SketchBenchmarks
{
    private ulong[] _hashes = [];
    private VisitorSketch _denseA = null!;
    private VisitorSketch _denseB = null!;
    private VisitorSketch _exactSmall = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _hashes = [.. Enumerable.Range(0, 10_000).Select(_ => (ulong)random.NextInt64())];
        _denseA = new VisitorSketch(VisitorSketch.TotalsPrecision);
        _denseB = new VisitorSketch(VisitorSketch.TotalsPrecision);
        foreach (var h in _hashes)
        {
            _denseA.Add(h);
            _denseB.Add(h * 31);
        }

        _exactSmall = new VisitorSketch(VisitorSketch.RowPrecision);
        foreach (var h in _hashes.Take(50))
        {
            _exactSmall.Add(h);
        }
    }

    [Benchmark(Description = "Add 10k hashes (p14: exact -> dense)", OperationsPerInvoke = 10_000)]
    public long Add()
    {
        var sketch = new VisitorSketch(VisitorSketch.TotalsPrecision);
        foreach (var h in _hashes)
        {
            sketch.Add(h);
        }

        return sketch.Count();
    }

    [Benchmark(Description = "Merge dense p14 into dense p14 (clone + merge)")]
    public long MergeDense()
    {
        var target = _denseA.Clone();
        target.Merge(_denseB);
        return target.Count();
    }

    [Benchmark(Description = "Merge exact 50 into clone of exact 50 (p10 row)")]
    public long MergeExactRow()
    {
        var target = _exactSmall.Clone();
        target.Merge(_exactSmall);
        return target.Count();
    }

    [Benchmark(Description = "Count dense p14")]
    public long CountDense() => _denseA.Count();
}

/// <summary>grains/Segments: applying a day's appends to an open segment, and merging 30 days' visitor sketches.</summary>
[MemoryDiagnoser]
public class SegmentBenchmarks
{
    private readonly List<RoutedAppend> _appends = [];
    private VisitorSketch[] _days = [];

    [GlobalSetup]
    public void Setup()
    {
        var generator = new TrafficGenerator(3, 1);
        var enricher = new OfflineEnricher([TrafficGenerator.SiteDomain(0)]);
        var table = new LaneSessionTable(1);
        var events = new List<LaneEvent>();
        foreach (var b in generator.History(DateTime.UtcNow.Date.AddDays(-1), DateTime.UtcNow.Date, 1000))
        {
            if (enricher.EnrichAsync(b).AsTask().GetAwaiter().GetResult() is { } e)
            {
                events.Add(new LaneEvent(events.Count + 1, e));
            }
        }

        foreach (var batch in events.Chunk(1000))
        {
            _appends.AddRange(table.Sessionize(batch).Appends);
        }

        var random = new Random(2);
        _days = [.. Enumerable.Range(0, 30).Select(_ =>
        {
            var s = new VisitorSketch(VisitorSketch.TotalsPrecision);
            for (var i = 0; i < 5000; i++)
            {
                s.Add((ulong)random.NextInt64());
            }

            return s;
        })];
    }

    [Benchmark(Description = "apply ~1000 events' appends to open segments (as SegmentGrain.AppendAsync, no storage)")]
    public int Apply()
    {
        var segments = new Dictionary<string, SegmentBuilder>(StringComparer.Ordinal);
        foreach (var a in _appends)
        {
            if (!segments.TryGetValue(a.Segment, out var builder))
            {
                builder = new SegmentBuilder(SegmentKey.Parse(a.Segment));
                segments[a.Segment] = builder;
            }

            builder.Apply(a.Append);
        }

        return segments.Count;
    }

    [Benchmark(Description = "merge 30 days' visitor sketches (30-day aggregate)")]
    public long MergeThirtyDays()
    {
        var total = _days[0].Clone();
        for (var i = 1; i < _days.Length; i++)
        {
            total.Merge(_days[i]);
        }

        return total.Count();
    }
}

/// <summary>grain-interfaces/Events: the envelope as JSON (Kafka, Cassandra) and as the embedded log's binary rows.</summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private EventEnvelope _envelope = null!;
    private byte[] _bytes = [];
    private byte[] _binary = [];
    private readonly System.Buffers.ArrayBufferWriter<byte> _output = new(1024);

    [GlobalSetup]
    public void Setup()
    {
        var generator = new TrafficGenerator(5, 1);
        var enricher = new OfflineEnricher([TrafficGenerator.SiteDomain(0)]);
        var e = generator.History(DateTime.UtcNow.AddHours(-1), DateTime.UtcNow, 50, botShare: 0)
            .Select(b => enricher.EnrichAsync(b).AsTask().GetAwaiter().GetResult())
            .First(x => x is not null)!;
        _envelope = EventEnvelope.For(e, e.Timestamp);
        _bytes = _envelope.ToUtf8Bytes();
        _binary = BinaryEventEnvelope.ToBytes(_envelope);
    }

    [Benchmark(Description = "ToUtf8Bytes")]
    public byte[] Serialize() => _envelope.ToUtf8Bytes();

    [Benchmark(Description = "FromUtf8Bytes")]
    public EventEnvelope Deserialize() => EventEnvelope.FromUtf8Bytes(_bytes);

    [Benchmark(Description = "BinaryEventEnvelope.Write (reused buffer)")]
    public int WriteBinary()
    {
        _output.ResetWrittenCount();
        BinaryEventEnvelope.Write(_envelope, _output);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "BinaryEventEnvelope.Read")]
    public EventEnvelope ReadBinary() => BinaryEventEnvelope.Read(_binary);
}

using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Analytics.Bench.Micro;

/// <summary>
/// The parts of a computed question over a month of the engine bench's biggest site (31 sealed segments of ~120k events,
/// 36k sessions each), without the grid: one segment's scan, a cached partial's hit (<see cref="SegmentPartialCache"/>),
/// and the merge of 31 partials into the answer. Scan × 31 / 2 cores + merge is what a computed question costs the
/// silo; hit × 31 + merge what a question answered from cached partials costs.
/// </summary>
[MemoryDiagnoser]
public class SegmentPartialBenchmarks
{
    private const int Days = 31;
    private static readonly DateTime First = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly StatsQuery[] Questions =
    [
        Ask([MetricNames.Visitors, MetricNames.Pageviews], [Dimensions.Page]),
        Ask([MetricNames.Visitors, MetricNames.Visits], [Dimensions.Source, Dimensions.EntryPage]),
        Ask([MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.BounceRate, MetricNames.VisitDuration], []),
    ];

    private Analytics.Grains.Segments.Segment[] _segments = null!;
    private SegmentPartial[] _partials = null!;
    private SegmentPartialCache _cache = null!;

    /// <summary>0 top pages, 1 source × entry page, 2 aggregate.</summary>
    [Params(0, 1, 2)]
    public int Question { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _segments = [.. Enumerable.Range(0, Days).Select(d =>
        {
            var day = First.AddDays(d);
            var builder = new SegmentBuilder(SegmentKey.Of(SegmentDay.Site, day));
            builder.Apply(new SegmentDay(day, sessions: 36_000, seed: d).Append());
            return Analytics.Grains.Segments.Segment.Read(builder.Build().Write());
        })];
        var query = Questions[Question];
        _partials = [.. _segments.Select(s => s.Scan(query))];
        var serializer = new ServiceCollection()
            .AddSerializer(s => s.AddAssembly(typeof(SegmentPartial).Assembly).AddAssembly(typeof(StatsQuery).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>();
        _cache = new SegmentPartialCache(serializer, 1L << 30);
        foreach (var segment in _segments)
        {
            _cache.Scan(segment, query);
        }

        Console.WriteLine($"// {_segments[0].EventCount:N0} events a segment; partials {_partials.Sum(p => p.EstimatedBytes):N0} B, {_partials.Sum(p => p.GroupCount):N0} groups");
    }

    [Benchmark(Description = "scan one segment")]
    public SegmentPartial Scan() => _segments[0].Scan(Questions[Question]);

    [Benchmark(Description = "cached partial of one segment")]
    public SegmentPartial Hit() => _cache.Scan(_segments[0], Questions[Question]);

    [Benchmark(Description = "merge 31 partials + result")]
    public QueryResult Merge() => SegmentPartial.MergeAll(_partials).ToResult(Questions[Question] with { Limit = 10 });

    private static StatsQuery Ask(string[] metrics, string[] dimensions) => new()
    {
        Site = SegmentDay.Site,
        Metrics = metrics,
        Dimensions = dimensions,
        FromUtc = First,
        ToUtc = First.AddDays(Days),
        Timezone = "UTC",
    };
}

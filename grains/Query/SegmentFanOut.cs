using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;

namespace Analytics.Grains.Query;

/// <summary>
/// Answers a query from the segments of its range (<see cref="SegmentKey.Covering"/>) that exist, all at once: sealed
/// segments found in the hot cache are scanned here, without activating their grains; the others scan in their grains,
/// on whichever silos hold them. The partials merge into the result. Days without a segment are not asked at all: a
/// ten-year range of a young site reads its few days, not 3,650 empty grains. Metrics whose denominator is another
/// question (<see cref="MetricDenominators"/>) have it answered the same way, in parallel. A sealed segment read here
/// answers from its cached partial when it has answered the same shape before.
/// </summary>
public sealed class SegmentFanOut(IGrainFactory grains, SealedSegments sealedSegments)
{
    /// <summary>Answers <paramref name="query"/> from the days of its range that <paramref name="hasSegment"/> says exist.</summary>
    public async Task<QueryResult> RunAsync(StatsQuery query, Predicate<DateOnly> hasSegment)
    {
        var questions = MetricDenominators.Questions(query);
        var keys = Keys(query, hasSegment);
        var main = ScanAsync(keys, query);
        var answers = questions.Select(q => ScanAsync(keys, q.Question)).ToList();
        var denominators = new MetricDenominators();
        for (var i = 0; i < questions.Count; i++)
        {
            denominators.Add(questions[i].Metric, await answers[i]);
        }

        return (await main).ToResult(query, denominators);
    }

    /// <summary>The funnel of the query's goals (its steps, in order) over its range and filters.</summary>
    public async Task<FunnelResult> FunnelAsync(StatsQuery query, Predicate<DateOnly> hasSegment)
    {
        var steps = query.Goals.Count;
        var merged = await ScanAsync(
            Keys(query, hasSegment),
            static (segment, q) => segment.Funnel(q),
            static (grain, q) => grain.FunnelAsync(q),
            query,
            partials =>
            {
                var all = new FunnelPartial(steps);
                foreach (var partial in partials)
                {
                    all.Merge(partial);
                }

                return all;
            });
        return new FunnelResult(merged.AllVisitors, merged.StepVisitors);
    }

    /// <summary>The segments of the query's range that exist.</summary>
    private static List<SegmentKey> Keys(StatsQuery query, Predicate<DateOnly> hasSegment) =>
        [.. SegmentKey.Covering(query.Site, query.FromUtc, query.ToUtc).Where(k => hasSegment(k.Day))];

    /// <summary>
    /// Asks every segment of <paramref name="keys"/>: a cached sealed one here (<paramref name="local"/>), the others in
    /// their grains (<paramref name="remote"/>); then merges their answers.
    /// </summary>
    public async Task<TPartial> ScanAsync<TQuestion, TPartial>(
        IReadOnlyList<SegmentKey> keys,
        Func<Segment, TQuestion, TPartial> local,
        Func<ISegmentGrain, TQuestion, Task<TPartial>> remote,
        TQuestion question,
        Func<TPartial[], TPartial> merge)
    {
        var cached = await sealedSegments.GetAsync(keys);
        var partials = await Task.WhenAll(keys.Select((key, i) => cached[i] is { } segment
            ? Task.Run(() => local(segment, question))
            : remote(grains.GetGrain<ISegmentGrain>(key.ToString()), question)));
        return merge(partials);
    }

    /// <summary>A sealed segment's partial may be a cached one (<see cref="SegmentPartialCache"/>); an open one's is always fresh.</summary>
    private Task<SegmentPartial> ScanAsync(IReadOnlyList<SegmentKey> keys, StatsQuery query) =>
        ScanAsync(keys, sealedSegments.Partials.Scan, static (grain, q) => grain.ScanAsync(q), query, SegmentPartial.MergeAll);
}

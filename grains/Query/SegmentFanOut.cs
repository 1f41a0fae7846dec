using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;

namespace Analytics.Grains.Query;

/// <summary>
/// Answers a query from the segments of its range (<see cref="SegmentKey.Covering"/>) that exist, all at once: sealed
/// segments found in the hot cache are scanned here, without activating their grains; the others scan in their grains,
/// on whichever silos hold them. The partials merge into the result. Days without a segment are not asked at all: a
/// ten-year range of a young site reads its few days, not 3,650 empty grains.
/// </summary>
public sealed class SegmentFanOut(IGrainFactory grains, SealedSegments sealedSegments)
{
    /// <summary>Answers <paramref name="query"/> from the days of its range that <paramref name="hasSegment"/> says exist.</summary>
    public async Task<QueryResult> RunAsync(StatsQuery query, Predicate<DateOnly> hasSegment)
    {
        var keys = SegmentKey.Covering(query.Site, query.FromUtc, query.ToUtc).Where(k => hasSegment(k.Day)).ToList();
        var cached = await sealedSegments.GetAsync(keys);
        var partials = await Task.WhenAll(keys.Select((key, i) => cached[i] is { } segment
            ? Task.Run(() => segment.Scan(query))
            : grains.GetGrain<ISegmentGrain>(key.ToString()).ScanAsync(query)));
        var merged = new SegmentPartial();
        foreach (var partial in partials)
        {
            merged.Merge(partial);
        }

        return merged.ToResult(query);
    }
}

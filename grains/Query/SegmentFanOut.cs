using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;

namespace Analytics.Grains.Query;

/// <summary>
/// Answers a query from the segments of its range (<see cref="SegmentKey.Covering"/>), all at once: sealed segments
/// found in the hot cache are scanned here, without activating their grains; the others scan in their grains, on
/// whichever silos hold them. The partials merge into the result.
/// </summary>
public sealed class SegmentFanOut(IGrainFactory grains, SealedSegments sealedSegments)
{
    public async Task<QueryResult> RunAsync(StatsQuery query)
    {
        var keys = SegmentKey.Covering(query.Site, query.FromUtc, query.ToUtc).ToList();
        var cached = await sealedSegments.GetAsync(keys);
        var partials = await Task.WhenAll(keys.Select((key, i) => cached[i] is { } segment
            ? Task.Run(() => segment.Scan(query))
            : grains.GetGrain<ISegmentGrain>(key.ToString()).ScanAsync(query)));
        var merged = partials[0];
        foreach (var partial in partials.Skip(1))
        {
            merged.Merge(partial);
        }

        return merged.ToResult(query);
    }
}

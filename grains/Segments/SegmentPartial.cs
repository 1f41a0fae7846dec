using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// Partial aggregates of one query over some segments: per group (dimension values) counters, sums and visitor sketches.
/// Partials of different segments merge; the merged one becomes the result (metrics, order, pagination).
/// </summary>
[GenerateSerializer, Alias("SegmentPartial")]
public sealed class SegmentPartial
{
    public void Merge(SegmentPartial other) => throw new NotImplementedException("H-seg");

    public QueryResult ToResult(StatsQuery query) => throw new NotImplementedException("H-seg");
}

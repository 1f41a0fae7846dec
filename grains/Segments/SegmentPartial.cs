using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Grains.Segments;

/// <summary>
/// Partial aggregates of one query over some segments: per group (dimension values) counters, sums and visitor sketches.
/// Partials of different segments merge; the merged one becomes the result (metrics, order, pagination).
/// </summary>
[GenerateSerializer, Alias("SegmentPartial")]
public sealed class SegmentPartial
{
    [Id(0)] private readonly Dictionary<GroupKey, GroupAggregate> _groups;

    /// <summary>The whole query without dimensions (visitors only), the denominator of <c>percentage</c>.</summary>
    [Id(1)] private GroupAggregate _total;

    public SegmentPartial()
        : this([], new GroupAggregate())
    {
    }

    internal SegmentPartial(Dictionary<GroupKey, GroupAggregate> groups, GroupAggregate total)
    {
        _groups = groups;
        _total = total;
    }

    public int GroupCount => _groups.Count;

    /// <summary>Adds <paramref name="other"/>'s groups to this one; <paramref name="other"/> is left unchanged.</summary>
    public void Merge(SegmentPartial other)
    {
        foreach (var (key, aggregate) in other._groups)
        {
            if (_groups.TryGetValue(key, out var mine))
            {
                mine.Merge(aggregate);
            }
            else
            {
                _groups.Add(key, aggregate.Clone());
            }
        }

        _total.Merge(other._total);
    }

    public QueryResult ToResult(StatsQuery query)
    {
        var shape = QueryShape.Of(query);
        var zone = TimeZones.Find(query.Timezone);
        var totalVisitors = _total.Visitors?.Count() ?? 0;
        var rows = new List<(long Time, QueryResultRow Row)>(_groups.Count);
        foreach (var (key, aggregate) in _groups)
        {
            // Breakdown rows without a value are not shown (Plausible's breakdowns by utm_*, referrer, ...).
            if (Array.IndexOf(key.Values, string.Empty) >= 0)
            {
                continue;
            }

            rows.Add((key.Time, Row(query, shape, key, aggregate, zone, totalVisitors)));
        }

        if (query.Dimensions.Count == 0 && rows.Count == 0)
        {
            rows.Add((0, Row(query, shape, new GroupKey(0, []), new GroupAggregate(), zone, totalVisitors)));
        }

        rows.Sort(ResultOrder.For(query, shape));
        var page = rows.Skip(query.Offset).Take(query.Limit).Select(r => r.Row).ToList();
        return new QueryResult(page, rows.Count);
    }

    private static QueryResultRow Row(StatsQuery query, QueryShape shape, GroupKey key, GroupAggregate aggregate, TimeZoneInfo zone, long totalVisitors)
    {
        var dimensions = new List<string>(query.Dimensions.Count);
        dimensions.AddRange(key.Values);
        if (shape.Time is { } granularity)
        {
            dimensions.Insert(shape.TimeIndex, TimeBuckets.Label(granularity, key.Time, zone));
        }

        var metrics = new double[query.Metrics.Count];
        for (var m = 0; m < metrics.Length; m++)
        {
            metrics[m] = aggregate.Metric(query.Metrics[m], totalVisitors);
        }

        return new QueryResultRow(dimensions, metrics);
    }
}

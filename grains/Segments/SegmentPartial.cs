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
    [Id(0)] private readonly GroupTable _groups;

    /// <summary>The distinct visitors of the whole query without dimensions, the denominator of <c>percentage</c>.</summary>
    [Id(1)] private GroupVisitors? _totalVisitors;

    /// <summary>Currencies of revenue left out for want of a rate to their goal's currency.</summary>
    [Id(2)] private readonly SortedSet<string> _unconverted = new(StringComparer.Ordinal);

    public SegmentPartial()
        : this(new GroupTable(), null)
    {
    }

    internal SegmentPartial(GroupTable groups, GroupVisitors? totalVisitors, IEnumerable<string>? unconverted = null)
    {
        _groups = groups;
        _totalVisitors = totalVisitors;
        _unconverted.UnionWith(unconverted ?? []);
    }

    public int GroupCount => _groups.Count;

    internal GroupTable Groups => _groups;

    internal GroupVisitors? TotalVisitors => _totalVisitors;

    internal IReadOnlyCollection<string> Unconverted => _unconverted;

    /// <summary>Roughly what this partial holds on the heap (see <see cref="SegmentPartialCache"/>).</summary>
    public long EstimatedBytes => 64 + _groups.EstimatedBytes() + (_totalVisitors?.EstimatedBytes ?? 0) + (64L * _unconverted.Count);

    /// <summary>Adds <paramref name="other"/>'s groups to this one; <paramref name="other"/> is left unchanged.</summary>
    public void Merge(SegmentPartial other)
    {
        _groups.Merge(other._groups);
        _unconverted.UnionWith(other._unconverted);
        if (other._totalVisitors is { } theirs)
        {
            if (_totalVisitors is null)
            {
                _totalVisitors = theirs.Clone();
            }
            else
            {
                _totalVisitors.Merge(theirs);
            }
        }
    }

    /// <summary>The merged groups as the query's rows; <paramref name="denominators"/> answers the metrics that need another question.</summary>
    public QueryResult ToResult(StatsQuery query, MetricDenominators? denominators = null)
    {
        var shape = QueryShape.Of(query);
        var zone = TimeZones.Find(query.Timezone);
        var totalVisitors = _totalVisitors?.Count() ?? 0;
        var rows = new List<(long Time, QueryResultRow Row)>(_groups.Count);
        for (var g = 0; g < _groups.Count; g++)
        {
            // Breakdown rows without a value are not shown (Plausible's breakdowns by utm_*, referrer, ...).
            var key = _groups.Key(g);
            if (Array.IndexOf(key.Values, string.Empty) >= 0 || (query.Dimensions.Count > 0 && !RowPresence.Shown(query, _groups, g)))
            {
                continue;
            }

            rows.Add((key.Time, Row(query, shape, _groups, g, zone, totalVisitors, denominators)));
        }

        if (query.Dimensions.Count == 0 && rows.Count == 0)
        {
            var empty = new GroupTable(1);
            rows.Add((0, Row(query, shape, empty, empty.Append(new GroupKey(0, [])), zone, totalVisitors, denominators)));
        }

        var order = ResultOrder.For(query, shape);
        var wanted = (int)Math.Min((long)query.Offset + query.Limit, rows.Count);
        var top = wanted < rows.Count / 4 ? Top(rows, wanted, order) : rows;
        top.Sort(order);
        var page = top.Skip(query.Offset).Take(query.Limit).Select(r => r.Row).ToList();
        return RevenueCurrencies.Apply(query, new QueryResult(page, rows.Count) { UnconvertedCurrencies = [.. _unconverted] });
    }

    private static QueryResultRow Row(StatsQuery query, QueryShape shape, GroupTable groups, int group, TimeZoneInfo zone, long totalVisitors, MetricDenominators? denominators)
    {
        var key = groups.Key(group);
        var dimensions = new List<string>(query.Dimensions.Count);
        dimensions.AddRange(key.Values);
        if (shape.Time is { } granularity)
        {
            dimensions.Insert(shape.TimeIndex, TimeBuckets.Label(granularity, key.Time, zone));
        }

        var metrics = new double[query.Metrics.Count];
        for (var m = 0; m < metrics.Length; m++)
        {
            metrics[m] = denominators?.Metric(query, query.Metrics[m], groups, group) ?? groups.Metric(group, query.Metrics[m], totalVisitors);
        }

        return new QueryResultRow(dimensions, metrics);
    }

    /// <summary>The first <paramref name="count"/> rows in <paramref name="order"/>, unordered: a bounded heap, for a page of a long tail.</summary>
    private static List<(long Time, QueryResultRow Row)> Top(List<(long Time, QueryResultRow Row)> rows, int count, Comparison<(long Time, QueryResultRow Row)> order)
    {
        // The heap's root is the worst row kept, so each better row replaces it.
        var worstFirst = Comparer<(long Time, QueryResultRow Row)>.Create((a, b) => order(b, a));
        var heap = new PriorityQueue<(long Time, QueryResultRow Row), (long Time, QueryResultRow Row)>(count + 1, worstFirst);
        foreach (var row in rows)
        {
            if (heap.Count < count)
            {
                heap.Enqueue(row, row);
            }
            else if (count > 0 && order(row, heap.Peek()) < 0)
            {
                heap.DequeueEnqueue(row, row);
            }
        }

        return [.. heap.UnorderedItems.Select(i => i.Element)];
    }
}

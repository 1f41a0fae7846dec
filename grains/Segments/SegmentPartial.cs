using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Grains.Segments;

/// <summary>
/// Partial aggregates of one query over some segments: per group (dimension values) counters, sums and visitor sketches.
/// Partials of different segments merge into a new one, which becomes the result (metrics, order, pagination). Nothing
/// changes a partial once built, so a cached one is shared, and grain calls within a silo pass it without a copy.
/// </summary>
[GenerateSerializer, Immutable, Alias("SegmentPartial")]
public sealed class SegmentPartial
{
    [Id(0)] private readonly GroupTable _groups;

    /// <summary>The distinct visitors of the whole query without dimensions, the denominator of <c>percentage</c>.</summary>
    [Id(1)] private readonly GroupVisitors? _totalVisitors;

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

    /// <summary>The partials merged into a new one (they are left unchanged); see <see cref="GroupTable.MergeAll"/>.</summary>
    public static SegmentPartial MergeAll(IReadOnlyList<SegmentPartial> partials)
    {
        var totals = partials.Select(p => p._totalVisitors).OfType<GroupVisitors>().ToList();
        return new SegmentPartial(
            GroupTable.MergeAll([.. partials.Select(p => p._groups)]),
            totals.Count == 0 ? null : GroupVisitors.Union(totals),
            partials.SelectMany(p => p._unconverted));
    }

    /// <summary>The merged groups as the query's rows; <paramref name="denominators"/> answers the metrics that need another question.</summary>
    public QueryResult ToResult(StatsQuery query, MetricDenominators? denominators = null)
    {
        var shape = QueryShape.Of(query);
        var zone = TimeZones.Find(query.Timezone);
        var totalVisitors = _totalVisitors?.Count() ?? 0;
        var groups = _groups;
        // Rows are ordered as group ids; only the page's become result rows (a long tail has hundreds of thousands).
        var shown = new List<int>(groups.Count);
        var presence = new RowPresence(shape);
        for (var g = 0; g < groups.Count; g++)
        {
            // Breakdown rows without a value are not shown (Plausible's breakdowns by utm_*, referrer, ...).
            if (!groups.HasEmptyValue(g) && (query.Dimensions.Count == 0 || presence.Shown(groups, g)))
            {
                shown.Add(g);
            }
        }

        if (query.Dimensions.Count == 0 && shown.Count == 0)
        {
            groups = new GroupTable(1);
            shown.Add(groups.GroupOf(0, ReadOnlySpan<string>.Empty));
        }

        double Metric(int group, string metric) => denominators?.Metric(query, metric, groups, group) ?? groups.Metric(group, metric, totalVisitors);
        var wanted = (int)Math.Min((long)query.Offset + query.Limit, shown.Count);
        // Most visitors first (a breakdown's default order): only the groups that may make the page are counted.
        var ranked = wanted < shown.Count / 4 && ResultOrder.Lead(query, shape) is { Key: MetricNames.Visitors, Descending: true }
            ? VisitorRanking.Candidates(groups, shown, wanted)
            : shown;
        var order = ResultOrder.For(query, shape, groups, ranked, Metric);
        var top = wanted < ranked.Count / 4 ? Top(ranked, wanted, order) : ranked;
        top.Sort(order);
        var page = top.Skip(query.Offset).Take(query.Limit).Select(g => Row(query, shape, groups, g, zone, Metric)).ToList();
        return RevenueCurrencies.Apply(query, new QueryResult(page, shown.Count) { UnconvertedCurrencies = [.. _unconverted] });
    }

    private static QueryResultRow Row(StatsQuery query, QueryShape shape, GroupTable groups, int group, TimeZoneInfo zone, Func<int, string, double> metric)
    {
        var dimensions = new List<string>(query.Dimensions.Count);
        for (var d = 0; d < groups.Width; d++)
        {
            dimensions.Add(groups.Value(group, d));
        }

        if (shape.Time is { } granularity)
        {
            dimensions.Insert(shape.TimeIndex, TimeBuckets.Label(granularity, groups.Time(group), zone));
        }

        var metrics = new double[query.Metrics.Count];
        for (var m = 0; m < metrics.Length; m++)
        {
            metrics[m] = metric(group, query.Metrics[m]);
        }

        return new QueryResultRow(dimensions, metrics);
    }

    /// <summary>The first <paramref name="count"/> groups in <paramref name="order"/>, unordered: a bounded heap, for a page of a long tail.</summary>
    private static List<int> Top(List<int> groups, int count, Comparison<int> order)
    {
        // The heap's root is the worst group kept, so each better group replaces it.
        var heap = new PriorityQueue<int, int>(count + 1, Comparer<int>.Create((a, b) => order(b, a)));
        foreach (var group in groups)
        {
            if (heap.Count < count)
            {
                heap.Enqueue(group, group);
            }
            else if (count > 0 && order(group, heap.Peek()) < 0)
            {
                heap.DequeueEnqueue(group, group);
            }
        }

        return [.. heap.UnorderedItems.Select(i => i.Element)];
    }
}

using System.Globalization;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sketches;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.Metrics;

namespace Analytics.Grains.Query;

/// <summary>
/// Answers a validated query: reads the range's buckets and merges them. Closed buckets come from the hot cache in one
/// batch; only the open ones and the misses are asked of their grains (in parallel). Unique visitors merge sketches,
/// never add per-bucket counts.
/// </summary>
public sealed class QueryEngine(IGrainFactory grains, ClosedBucketCache closedBuckets)
{
    public async Task<QueryResult> RunAsync(AnalyticsQuery query)
    {
        var starts = BucketStarts(query);
        var sliceDimension = query.Breakdown ?? query.Filters.FirstOrDefault()?.Dimension;
        var zone = TimeZones.Find(query.Timezone);
        var keys = starts.Select(start => new BucketKey(query.Site, query.Granularity, start)).ToList();
        var cached = await closedBuckets.GetClosedAsync(keys, zone, sliceDimension);
        var slices = await Task.WhenAll(keys.Select((key, i) => cached[i] is { } hit
            ? Task.FromResult(hit)
            : grains.GetGrain<IMetricBucketGrain>(key.ToString()).GetSliceAsync(sliceDimension)));

        // Groups are keyed by bucket start, not by label: on a fall-back day two UTC hours share one local label.
        var groups = new Dictionary<(DateTime Time, string Value), Accumulator>();
        for (var i = 0; i < starts.Count; i++)
        {
            var time = query.TimeDimension is null ? DateTime.MinValue : starts[i];
            var slice = slices[i];
            if (sliceDimension is null)
            {
                Group(groups, time, string.Empty).Add(slice.Totals, slice.Visitors);
                continue;
            }

            if (query.Breakdown is null)
            {
                // A filter without a breakdown: the matching rows stand in for the totals.
                var accumulator = Group(groups, time, string.Empty);
                foreach (var row in slice.Rows.Where(r => Matches(query, r.Value)))
                {
                    accumulator.Add(row.Counters, row.Visitors);
                }

                continue;
            }

            foreach (var row in slice.Rows.Where(r => Matches(query, r.Value)))
            {
                Group(groups, time, row.Value).Add(row.Counters, row.Visitors);
            }
        }

        var rows = groups
            .Where(g => query.Breakdown is null || !g.Value.IsEmpty)
            .Select(g => new QueryResultRow(
                [.. query.Dimensions.Select(d => d.StartsWith("time", StringComparison.Ordinal) ? TimeLabel(query.Granularity, g.Key.Time, zone) : g.Key.Value)],
                [.. query.Metrics.Select(g.Value.Metric)]))
            .ToList();

        rows = Order(query, rows);
        return new QueryResult([.. rows.Skip(query.Offset).Take(query.Limit)], rows.Count);
    }

    public static IReadOnlyList<DateTime> BucketStarts(AnalyticsQuery query)
    {
        var step = query.Granularity == Granularity.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var starts = new List<DateTime>();
        for (var t = query.First; t <= query.Last; t += step)
        {
            starts.Add(t);
        }

        return starts;
    }

    public static string TimeLabel(Granularity granularity, DateTime start, TimeZoneInfo zone) => granularity == Granularity.Hour
        ? TimeZoneInfo.ConvertTimeFromUtc(start, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool Matches(AnalyticsQuery query, string value) => query.Filters.All(f => f.Matches(value));

    private static Accumulator Group(Dictionary<(DateTime, string), Accumulator> groups, DateTime time, string value)
    {
        if (!groups.TryGetValue((time, value), out var accumulator))
        {
            accumulator = new Accumulator();
            groups[(time, value)] = accumulator;
        }

        return accumulator;
    }

    private static List<QueryResultRow> Order(AnalyticsQuery query, List<QueryResultRow> rows)
    {
        IEnumerable<QueryResultRow> ordered = rows;
        var orders = query.OrderBy.Count > 0 ? query.OrderBy : DefaultOrder(query);
        IOrderedEnumerable<QueryResultRow>? sorted = null;
        foreach (var order in orders)
        {
            var metricIndex = IndexOf(query.Metrics, order.Key);
            var dimensionIndex = IndexOf(query.Dimensions, order.Key);
            Func<QueryResultRow, double> byMetric = r => r.Metrics[metricIndex];
            Func<QueryResultRow, string> byDimension = r => r.Dimensions[dimensionIndex];
            sorted = (sorted, metricIndex >= 0, order.Descending) switch
            {
                (null, true, true) => ordered.OrderByDescending(byMetric),
                (null, true, false) => ordered.OrderBy(byMetric),
                (null, false, true) => ordered.OrderByDescending(byDimension, StringComparer.Ordinal),
                (null, false, false) => ordered.OrderBy(byDimension, StringComparer.Ordinal),
                (_, true, true) => sorted.ThenByDescending(byMetric),
                (_, true, false) => sorted.ThenBy(byMetric),
                (_, false, true) => sorted.ThenByDescending(byDimension, StringComparer.Ordinal),
                _ => sorted.ThenBy(byDimension, StringComparer.Ordinal),
            };
        }

        return sorted?.ToList() ?? rows;
    }

    private static IReadOnlyList<QueryOrder> DefaultOrder(AnalyticsQuery query)
    {
        var orders = new List<QueryOrder>();
        if (query.TimeDimension is not null)
        {
            orders.Add(new QueryOrder(query.TimeDimension, Descending: false));
        }

        if (query.Breakdown is not null)
        {
            // Biggest rows first; ties broken by the value so the order is stable across runs.
            orders.Add(new QueryOrder(query.Metrics[0], Descending: true));
            orders.Add(new QueryOrder(query.Breakdown, Descending: false));
        }

        return orders;
    }

    private static int IndexOf(IReadOnlyList<string> list, string key)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == key)
            {
                return i;
            }
        }

        return -1;
    }

    private sealed class Accumulator
    {
        private Counters _counters;
        private VisitorSketch? _visitors;

        public bool IsEmpty => _counters.IsZero && (_visitors is null || _visitors.Count() == 0);

        public void Add(Counters counters, VisitorSketch visitors)
        {
            _counters += counters;
            if (_visitors is null)
            {
                _visitors = visitors.Clone();
            }
            else
            {
                _visitors.Merge(visitors);
            }
        }

        public double Metric(string name)
        {
            var c = _counters;
            return name switch
            {
                MetricNames.Visitors => _visitors?.Count() ?? 0,
                MetricNames.Visits => c.Visits,
                MetricNames.Pageviews => c.Pageviews,
                MetricNames.Events => c.Pageviews + c.Events, // Plausible: pageviews plus custom events, engagement never counted
                MetricNames.BounceRate => c.Visits > 0 ? Math.Round(100.0 * c.Bounces / c.Visits) : 0,
                MetricNames.VisitDuration => c.Visits > 0 ? Math.Round(c.DurationMs / 1000.0 / c.Visits) : 0,
                MetricNames.ViewsPerVisit => c.Visits > 0 ? Math.Round((double)c.Pageviews / c.Visits, 2) : 0,
                // Engaged seconds per visitor, and the mean of the scroll depths reported (percent).
                MetricNames.TimeOnPage => _visitors?.Count() is > 0 and var v ? Math.Round(c.EngagedMs / 1000.0 / v) : 0,
                MetricNames.ScrollDepth => c.ScrollDepthSamples > 0 ? Math.Round((double)c.ScrollDepthSum / c.ScrollDepthSamples) : 0,
                _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown metric."),
            };
        }
    }
}

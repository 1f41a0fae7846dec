using Analytics.GrainInterfaces.Imports;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Gateway.Query;

/// <summary>
/// include.imports as Plausible answers it: a query is answered from imported aggregates only when one imported table
/// holds every dimension and filter it names and every metric it asks (and its time dimension is a day or longer);
/// otherwise the native answer alone, with a warning. Included, each group's native counts and imported daily counts
/// are added (visitors too: imported days are summed, as Plausible does) and the ratios computed from the sums.
/// </summary>
public static class ImportedStats
{
    public const string UnsupportedQuery =
        "Imported stats are not included in the results because query parameters are not supported. For more information, see: https://plausible.io/docs/stats-api#filtering-imported-stats";

    public const string UnsupportedInterval = "Imported stats are not included because the time dimension (i.e. the interval) is too short.";

    /// <summary>The table answering <paramref name="query"/>, or the warning saying why imports are left out.</summary>
    public static (ImportedTable? Table, string? Warning) Plan(StatsQuery query)
    {
        if (query.Time == TimeGranularity.Hour)
        {
            return (null, UnsupportedInterval);
        }

        var named = new HashSet<string>(query.Dimensions.Where(d => !QueryDimensions.IsTime(d)), StringComparer.Ordinal);
        if (query.Filter is { } filter && !Leaves(filter, named))
        {
            return (null, UnsupportedQuery);
        }

        var tables = named.Select(ImportedTable.Answering).Distinct().ToList();
        var table = tables switch
        {
            [] => ImportedTable.Find("imported_visitors"),
            [{ } only] => only,
            _ => null,
        };
        return table is not null && query.Metrics.All(table.Metrics.Contains) ? (table, null) : (null, UnsupportedQuery);
    }

    /// <summary>The native query whose answer can be merged: every row, and the counts the ratios need.</summary>
    public static StatsQuery NativeQuery(StatsQuery query)
    {
        var metrics = query.Metrics.ToList();
        if (metrics.Any(m => m is MetricNames.BounceRate or MetricNames.VisitDuration or MetricNames.ViewsPerVisit) && !metrics.Contains(MetricNames.Visits))
        {
            metrics.Add(MetricNames.Visits);
        }

        if (metrics.Contains(MetricNames.ViewsPerVisit) && !metrics.Contains(MetricNames.Pageviews))
        {
            metrics.Add(MetricNames.Pageviews);
        }

        return query with { Metrics = metrics, Limit = StatsQueryParser.MaxLimit, Offset = 0 };
    }

    /// <summary>
    /// Native rows (of <see cref="NativeQuery"/>) plus imported rows (<see cref="ImportedTable.Counts"/>), as the rows of
    /// <paramref name="query"/>: its metrics, order and page. A native bounce count and duration total are read back from
    /// its rounded rate and mean (exact below 100 visits per row; otherwise within half a bounce and half a second per visit).
    /// </summary>
    public static QueryResult Merge(StatsQuery query, StatsQuery native, QueryResult nativeResult, QueryResult imported)
    {
        var sums = new Dictionary<string, (IReadOnlyList<string> Dimensions, decimal[] Counts)>(StringComparer.Ordinal);
        void Add(IReadOnlyList<string> dimensions, decimal[] counts)
        {
            var key = string.Join('\u001f', dimensions);
            if (!sums.TryGetValue(key, out var sum))
            {
                sums[key] = (dimensions, counts);
                return;
            }

            for (var i = 0; i < counts.Length; i++)
            {
                sum.Counts[i] += counts[i];
            }
        }

        foreach (var row in nativeResult.Rows)
        {
            decimal Metric(string name) => IndexOf(native.Metrics, name) is var at and >= 0 ? (decimal)row.Metrics[at] : 0m;
            var visits = Metric(MetricNames.Visits);
            Add(row.Dimensions,
            [
                Metric(MetricNames.Visitors), visits, Metric(MetricNames.Pageviews),
                Math.Round(Metric(MetricNames.BounceRate) * visits / 100m, MidpointRounding.AwayFromZero),
                Metric(MetricNames.VisitDuration) * visits, Metric(MetricNames.Events),
            ]);
        }

        foreach (var row in imported.Rows)
        {
            Add(row.Dimensions, [.. row.Metrics.Select(m => (decimal)m)]);
        }

        var rows = sums.Values.Select(s => new QueryResultRow(s.Dimensions, [.. query.Metrics.Select(m => Value(m, s.Counts))])).ToList();
        rows.Sort(Order(query));
        return new QueryResult([.. rows.Skip(query.Offset).Take(query.Limit)], rows.Count);
    }

    private static double Value(string metric, decimal[] c)
    {
        var (visitors, visits, pageviews, bounces, duration, events) = (c[0], c[1], c[2], c[3], c[4], c[5]);
        return (double)(metric switch
        {
            MetricNames.Visitors => visitors,
            MetricNames.Visits => visits,
            MetricNames.Pageviews => pageviews,
            MetricNames.Events => events,
            MetricNames.BounceRate => visits == 0 ? 0 : Math.Round(100m * bounces / visits, MidpointRounding.AwayFromZero),
            MetricNames.VisitDuration => visits == 0 ? 0 : Math.Round(duration / visits, MidpointRounding.AwayFromZero),
            MetricNames.ViewsPerVisit => visits == 0 ? 0 : Math.Round(pageviews / visits, 2, MidpointRounding.AwayFromZero),
            _ => throw new ArgumentException($"Imported stats cannot answer '{metric}'."),
        });
    }

    /// <summary>As the engine orders rows: order_by, else time ascending and the first metric descending; then the dimension values.</summary>
    private static Comparison<QueryResultRow> Order(StatsQuery query)
    {
        var orders = query.OrderBy.ToList();
        if (orders.Count == 0)
        {
            orders.AddRange(query.Dimensions.Where(QueryDimensions.IsTime).Select(d => new QueryOrder(d, Descending: false)));
            if (query.Dimensions.Any(d => !QueryDimensions.IsTime(d)))
            {
                orders.Add(new QueryOrder(query.Metrics[0], Descending: true));
            }
        }

        orders.AddRange(query.Dimensions.Select(d => new QueryOrder(d, Descending: false)));
        return (a, b) =>
        {
            foreach (var order in orders)
            {
                var metric = IndexOf(query.Metrics, order.Key);
                var c = metric >= 0
                    ? a.Metrics[metric].CompareTo(b.Metrics[metric])
                    : string.CompareOrdinal(a.Dimensions[IndexOf(query.Dimensions, order.Key)], b.Dimensions[IndexOf(query.Dimensions, order.Key)]);
                if (c != 0)
                {
                    return order.Descending ? -c : c;
                }
            }

            return 0;
        };
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

    /// <summary>Adds the dimensions of the filter's leaves to <paramref name="named"/>; false for a behavioural filter.</summary>
    private static bool Leaves(FilterExpression filter, HashSet<string> named) => filter switch
    {
        AndFilter and => and.Operands.All(o => Leaves(o, named)),
        OrFilter or => or.Operands.All(o => Leaves(o, named)),
        NotFilter not => Leaves(not.Operand, named),
        DimensionFilter leaf => named.Add(leaf.Dimension) || true,
        _ => false,
    };
}

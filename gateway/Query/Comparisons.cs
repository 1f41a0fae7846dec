using Analytics.GrainInterfaces.Query;

namespace Analytics.Gateway.Query;

/// <summary>Pairs each row of an answer with its row in the comparison range (include.comparisons), as Plausible does.</summary>
public static class Comparisons
{
    /// <summary>
    /// The comparison of each row: the comparison's row with the same non-time dimension values and, for a time
    /// dimension, the bucket at the same position of the comparison range (day 1 with day 1). A row without a match
    /// compares with zeros.
    /// </summary>
    public static IReadOnlyList<QueryResponseComparison> Join(StatsQuery query, QueryResult result, StatsQuery comparisonQuery, QueryResult comparison)
    {
        var time = IndexOfTime(query.Dimensions);
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = time < 0 ? [] : TimeBuckets.Labels(query);
        var comparisonLabels = time < 0 ? [] : TimeBuckets.Labels(comparisonQuery);
        for (var i = 0; i < labels.Count; i++)
        {
            position.TryAdd(labels[i], i);
        }

        var rows = new Dictionary<string, QueryResultRow>(StringComparer.Ordinal);
        foreach (var row in comparison.Rows)
        {
            rows.TryAdd(Key(row.Dimensions), row);
        }

        return [.. result.Rows.Select(row =>
        {
            var dimensions = row.Dimensions.ToArray();
            if (time >= 0 && time < dimensions.Length
                && position.TryGetValue(dimensions[time], out var at) && at < comparisonLabels.Count)
            {
                dimensions[time] = comparisonLabels[at];
            }

            var metrics = rows.TryGetValue(Key(dimensions), out var match) ? match.Metrics : [.. row.Metrics.Select(_ => 0d)];
            return new QueryResponseComparison(dimensions, RevenueMetrics.Row(comparisonQuery, comparison, dimensions, metrics),
                [.. row.Metrics.Select((now, i) => MetricChange.Of(query.Metrics[i], metrics[i], now))]);
        })];
    }

    private static int IndexOfTime(IReadOnlyList<string> dimensions)
    {
        for (var i = 0; i < dimensions.Count; i++)
        {
            if (QueryDimensions.IsTime(dimensions[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Key(IReadOnlyList<string> dimensions) => string.Join('\u001f', dimensions);
}

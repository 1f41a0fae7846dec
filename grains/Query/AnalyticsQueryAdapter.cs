using System.Globalization;
using Analytics.Abstractions.Caching;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Grains.Query;

/// <summary>
/// The bucket-shaped query the gateway still sends (one breakdown, bucket starts) as a <see cref="StatsQuery"/>, and the
/// answer back in the shape it expects: a series without a breakdown has a row for every bucket, empty ones included.
/// Goes away with <see cref="AnalyticsQuery"/> once the gateway builds StatsQuery itself.
/// </summary>
public static class AnalyticsQueryAdapter
{
    /// <summary>The query over the same instants, unpaged (<see cref="ToAnalyticsResult"/> cuts the page).</summary>
    public static StatsQuery ToStatsQuery(AnalyticsQuery query)
    {
        var zone = TimeZones.Find(query.Timezone);
        var (from, to) = query.Granularity == Granularity.Hour
            ? (Utc(query.First), Utc(query.Last.AddHours(1)))
            : (ClosedPeriods.EndUtc(Granularity.Day, query.First.AddDays(-1), zone), ClosedPeriods.EndUtc(Granularity.Day, query.Last, zone));
        return new StatsQuery
        {
            Site = query.Site,
            Metrics = query.Metrics,
            Dimensions = query.Dimensions,
            FromUtc = from,
            ToUtc = to,
            Timezone = query.Timezone,
            Filter = query.Filters.Count == 0 ? null : new AndFilter([.. query.Filters.Select(Leaf)]),
            OrderBy = query.OrderBy,
            Limit = int.MaxValue,
            Offset = 0,
        };
    }

    /// <summary>
    /// <paramref name="result"/> of the whole query in the old shape: a series without a breakdown gets a zero row for
    /// every bucket that had none, then the page is cut.
    /// </summary>
    public static QueryResult ToAnalyticsResult(AnalyticsQuery query, QueryResult result)
    {
        var rows = result.Rows;
        if (query.TimeDimension is not null && query.Breakdown is null)
        {
            // A fall-back day has two UTC hours with one local label: they stay two rows, in time order.
            var byLabel = rows.GroupBy(r => r.Dimensions[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new Queue<QueryResultRow>(g), StringComparer.Ordinal);
            var zeros = query.Metrics.Select(_ => 0d).ToArray();
            var series = Labels(query)
                .Select(label => byLabel.TryGetValue(label, out var found) && found.TryDequeue(out var row) ? row : new QueryResultRow([label], zeros))
                .ToList();
            if (query.OrderBy.Any(o => o.Key == query.TimeDimension && o.Descending))
            {
                series.Reverse();
            }

            rows = series;
        }

        return new QueryResult([.. rows.Skip(query.Offset).Take(query.Limit)], rows.Count);
    }

    private static IEnumerable<string> Labels(AnalyticsQuery query)
    {
        var zone = TimeZones.Find(query.Timezone);
        var step = query.Granularity == Granularity.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        for (var at = query.First; at <= query.Last; at += step)
        {
            yield return query.Granularity == Granularity.Hour
                ? TimeZoneInfo.ConvertTimeFromUtc(Utc(at), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                : at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
    }

    private static DimensionFilter Leaf(QueryFilter filter) => new(
        filter.Operator switch
        {
            QueryFilter.Is => FilterOperator.Is,
            QueryFilter.IsNot => FilterOperator.IsNot,
            QueryFilter.Contains => FilterOperator.Contains,
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter.Operator, "Unknown filter operator."),
        },
        filter.Dimension,
        filter.Values);

    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}

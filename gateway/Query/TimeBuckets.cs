using System.Globalization;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Query;

/// <summary>
/// The label of every time bucket of a query's range, as the engine writes them (meta.time_labels, v1's empty buckets):
/// UTC hours labelled in local time "yyyy-MM-dd HH:mm:ss"; local days, weeks (their Monday) and months (their first day)
/// as "yyyy-MM-dd", a week or month never labelled before the range's first day (as Plausible).
/// </summary>
public static class TimeBuckets
{
    public static IReadOnlyList<string> Labels(StatsQuery query) => query.Time is { } granularity ? Labels(query, granularity) : [];

    public static IReadOnlyList<string> Labels(StatsQuery query, TimeGranularity granularity)
    {
        var zone = TimeZones.Find(query.Timezone);
        var labels = new List<string>();
        if (granularity == TimeGranularity.Hour)
        {
            var first = new DateTime(query.FromUtc.Year, query.FromUtc.Month, query.FromUtc.Day, query.FromUtc.Hour, 0, 0, DateTimeKind.Utc);
            for (var at = first; at < query.ToUtc; at = at.AddHours(1))
            {
                labels.Add(TimeZoneInfo.ConvertTimeFromUtc(at, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            }

            return labels;
        }

        var (from, to) = LocalDays(query);
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var start = granularity switch
            {
                TimeGranularity.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
                TimeGranularity.Month => new DateOnly(day.Year, day.Month, 1),
                _ => day,
            };
            var label = (start < from ? from : start).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (labels.Count == 0 || labels[^1] != label)
            {
                labels.Add(label);
            }
        }

        return labels;
    }

    /// <summary>
    /// A time series (the query's only dimension is its time dimension) with every bucket of the range, in order, empty
    /// ones as zeros. Rows are taken in order per label: on a fall-back day two UTC hours share a local label.
    /// </summary>
    public static IEnumerable<QueryResultRow> Filled(StatsQuery query, QueryResult result)
    {
        var rows = result.Rows.GroupBy(r => r.Dimensions[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => new Queue<QueryResultRow>(g), StringComparer.Ordinal);
        foreach (var label in Labels(query))
        {
            yield return rows.TryGetValue(label, out var queue) && queue.TryDequeue(out var row)
                ? row
                : new QueryResultRow([label], [.. query.Metrics.Select(_ => 0d)]);
        }
    }

    /// <summary>The first and last local day the range touches.</summary>
    public static (DateOnly From, DateOnly To) LocalDays(StatsQuery query)
    {
        var zone = TimeZones.Find(query.Timezone);
        var end = query.ToUtc > query.FromUtc ? query.ToUtc.AddTicks(-1) : query.FromUtc;
        return (DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(query.FromUtc, zone)), DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(end, zone)));
    }
}

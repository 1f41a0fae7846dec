using System.Globalization;
using Analytics.GrainInterfaces.Goals;
using Analytics.GrainInterfaces.Imports;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.Segments;

namespace Analytics.Grains.Imports;

/// <summary>
/// Sums a table's imported daily rows for a query: rows of the range's local days that pass the filter, grouped by the
/// query's dimensions (a time bucket of the row's day, the table's column for the others). Each result row carries
/// <see cref="ImportedTable.Counts"/>, summed, for the gateway to merge with the native answer.
/// </summary>
internal static class ImportedAggregation
{
    public static QueryResult Run(StatsQuery query, ImportedTable table, IEnumerable<ImportedRow> rows)
    {
        var zone = TimeZones.Find(query.Timezone);
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(query.FromUtc, zone));
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(query.ToUtc.AddTicks(-1), zone));
        var filter = query.Filter is null ? null : Compile(query.Filter, table, query.Goals);
        var groups = new Dictionary<string, (string[] Dimensions, long[] Counts)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Table != table.Name || row.Day < first.DayNumber || row.Day > last.DayNumber || (filter is not null && !filter(row)))
            {
                continue;
            }

            var dimensions = query.Dimensions.Select(d => Value(d, row, table, query.Time, first, query.Goals)).ToArray();
            // As native breakdowns: a row without a value is left out.
            if (dimensions.Any(string.IsNullOrEmpty))
            {
                continue;
            }

            var key = string.Join('\u001f', dimensions);
            if (!groups.TryGetValue(key, out var group))
            {
                group = (dimensions, new long[ImportedTable.Counts.Count]);
                groups[key] = group;
            }

            long[] counts = [row.Visitors, row.Visits, row.Pageviews, row.Bounces, row.VisitDuration, row.Events];
            for (var i = 0; i < counts.Length; i++)
            {
                group.Counts[i] += counts[i];
            }
        }

        return new QueryResult([.. groups.Values.Select(g => new QueryResultRow(g.Dimensions, [.. g.Counts.Select(c => (double)c)]))], groups.Count);
    }

    private static string Value(string dimension, ImportedRow row, ImportedTable table, TimeGranularity? time, DateOnly first, IReadOnlyList<Goal> goals)
    {
        if (!dimension.StartsWith("time:", StringComparison.Ordinal))
        {
            return Column(row, table, dimension, goals);
        }

        var day = DateOnly.FromDayNumber(row.Day);
        // Plausible's buckets: a week from its Monday, a month from its first, neither before the range's first day.
        var bucket = time switch
        {
            TimeGranularity.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            TimeGranularity.Month => new DateOnly(day.Year, day.Month, 1),
            _ => day,
        };
        return (bucket < first ? first : bucket).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static string Column(ImportedRow row, ImportedTable table, string dimension, IReadOnlyList<Goal> goals)
    {
        if (dimension == Dimensions.Goal)
        {
            // event:goal is the configured goals: an imported custom event counts as the custom-event goal of its name
            // (imported rows carry no props to test a goal's property restrictions, so only goals without them).
            var name = Column(row, table, Dimensions.Name, goals);
            return goals.FirstOrDefault(g => g.EventName == name && g.CustomProps.Count == 0)?.DisplayName ?? string.Empty;
        }

        var at = table.DimensionColumns.TryGetValue(dimension, out var column) ? IndexOf(table.Columns, column) : -1;
        return at >= 0 && at < row.Values.Count ? row.Values[at] : string.Empty;
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static Func<ImportedRow, bool> Compile(FilterExpression filter, ImportedTable table, IReadOnlyList<Goal> goals) => filter switch
    {
        AndFilter and => Every([.. and.Operands.Select(o => Compile(o, table, goals))]),
        OrFilter or => Any([.. or.Operands.Select(o => Compile(o, table, goals))]),
        NotFilter not => Negate(Compile(not.Operand, table, goals)),
        DimensionFilter leaf => Leaf(leaf, table, goals),
        _ => throw new NotSupportedException("Imported stats cannot answer behavioural filters (has_done, has_not_done)."),
    };

    private static Func<ImportedRow, bool> Every(Func<ImportedRow, bool>[] tests) => row => Array.TrueForAll(tests, t => t(row));

    private static Func<ImportedRow, bool> Any(Func<ImportedRow, bool>[] tests) => row => Array.Exists(tests, t => t(row));

    private static Func<ImportedRow, bool> Negate(Func<ImportedRow, bool> test) => row => !test(row);

    private static Func<ImportedRow, bool> Leaf(DimensionFilter leaf, ImportedTable table, IReadOnlyList<Goal> goals)
    {
        var test = StringPredicate.Compile(leaf);
        return row => test(Column(row, table, leaf.Dimension, goals));
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Tests.Differential;

/// <summary>
/// Compares our answer with PostgreSQL's, order-insensitively (rows with equal labels, such as the repeated hour of a
/// DST fall-back, as a multiset), then checks the order when the query gave one. Counts must be equal; rounded metrics
/// must be the SQL's exact value rounded to the documented places (half away from zero or half to even: SEMANTICS does
/// not say which); revenue within half a cent. A time series may carry extra all-zero buckets on our side.
/// </summary>
public static class AnswerComparer
{
    private static readonly IReadOnlyDictionary<string, int> RoundedTo = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [MetricNames.BounceRate] = 0,
        [MetricNames.VisitDuration] = 0,
        [MetricNames.ViewsPerVisit] = 2,
        [MetricNames.Percentage] = 1,
        [MetricNames.ConversionRate] = 1,
        [MetricNames.GroupConversionRate] = 1,
        [MetricNames.TimeOnPage] = 0,
        [MetricNames.ScrollDepth] = 0,
    };

    public static string? Compare(DifferentialQuery query, JsonElement ours, IReadOnlyList<(string[] Dimensions, decimal?[] Metrics)> expected)
    {
        var actual = ours.GetProperty("results").EnumerateArray()
            .Select(r => (Dimensions: r.GetProperty("dimensions").EnumerateArray().Select(Label).ToArray(),
                Metrics: r.GetProperty("metrics").EnumerateArray().Select(m => m.ValueKind switch
                {
                    JsonValueKind.Null => (double?)null,
                    // A revenue metric: Plausible's {short, long, value, currency}.
                    JsonValueKind.Object => m.GetProperty("value").GetDouble(),
                    _ => m.GetDouble(),
                }).ToArray()))
            .ToList();
        var problems = new List<string>();
        var expectedByKey = expected.GroupBy(r => Key(r.Dimensions)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var actualByKey = actual.GroupBy(r => Key(r.Dimensions)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var hasTime = query.Dimensions.Any(d => d.StartsWith("time:", StringComparison.Ordinal));

        foreach (var (key, rows) in expectedByKey)
        {
            var ourRows = actualByKey.GetValueOrDefault(key) ?? [];
            if (ourRows.Count != rows.Count)
            {
                problems.Add($"row [{key}]: expected {rows.Count} row(s) {string.Join(" ", rows.Select(r => Show(r.Metrics)))}, ours {ourRows.Count} {string.Join(" ", ourRows.Select(r => Show(r.Metrics)))}");
                continue;
            }

            // Rows sharing a label pair up in metric order on both sides.
            var sortedExpected = rows.OrderBy(r => Show(r.Metrics), StringComparer.Ordinal).ToList();
            var sortedOurs = ourRows.OrderBy(r => Show(Exact(r.Metrics)), StringComparer.Ordinal).ToList();
            for (var i = 0; i < sortedExpected.Count; i++)
            {
                var differences = query.Metrics.Select((metric, m) => Agrees(metric, sortedExpected[i].Metrics[m], sortedOurs[i].Metrics.ElementAtOrDefault(m))
                        ? null : $"{metric} expected {Text(sortedExpected[i].Metrics[m])} ours {Text(sortedOurs[i].Metrics.ElementAtOrDefault(m))}")
                    .OfType<string>().ToList();
                if (differences.Count > 0)
                {
                    problems.Add($"row [{key}]: {string.Join("; ", differences)}");
                }
            }
        }

        foreach (var (key, rows) in actualByKey.Where(p => !expectedByKey.ContainsKey(p.Key)))
        {
            if (!(hasTime && rows.All(r => r.Metrics.All(m => m is null or 0))))
            {
                problems.Add($"row [{key}]: not expected, ours {string.Join(" ", rows.Select(r => Show(r.Metrics)))}");
            }
        }

        if (query.OrderBy.Count > 0 && problems.Count == 0)
        {
            problems.AddRange(CheckOrder(query, actual));
        }

        return problems.Count == 0 ? null : string.Join("\n", problems.Take(12)) + (problems.Count > 12 ? $"\n… {problems.Count - 12} more" : "");
    }

    private static IEnumerable<string> CheckOrder(DifferentialQuery query, List<(string[] Dimensions, double?[] Metrics)> rows)
    {
        var order = query.OrderBy[0];
        var metric = query.Metrics.ToList().IndexOf(order.Key);
        var dimension = query.Dimensions.ToList().IndexOf(order.Key);
        for (var i = 1; i < rows.Count; i++)
        {
            var c = metric >= 0
                ? Nullable.Compare(rows[i - 1].Metrics[metric], rows[i].Metrics[metric])
                : string.CompareOrdinal(rows[i - 1].Dimensions[dimension], rows[i].Dimensions[dimension]);
            if (order.Descending ? c < 0 : c > 0)
            {
                yield return $"order_by {order.Key} {(order.Descending ? "desc" : "asc")} broken at rows {i - 1}/{i}: [{Key(rows[i - 1].Dimensions)}] then [{Key(rows[i].Dimensions)}]";
                yield break;
            }
        }
    }

    private static bool Agrees(string metric, decimal? expected, double? ours)
    {
        var exact = expected ?? 0;
        var value = ours ?? 0;
        if (metric is MetricNames.TotalRevenue or MetricNames.AverageRevenue)
        {
            return Math.Abs((double)exact - value) <= 0.005 + 1e-9;
        }

        if (RoundedTo.TryGetValue(metric, out var places))
        {
            return Near(Math.Round(exact, places, MidpointRounding.AwayFromZero), value) || Near(Math.Round(exact, places, MidpointRounding.ToEven), value);
        }

        return Near(exact, value);
    }

    private static bool Near(decimal exact, double value) => Math.Abs((double)exact - value) < 1e-9;

    private static string Label(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string Key(string[] dimensions) => string.Join(" | ", dimensions);

    private static decimal?[] Exact(double?[] metrics) => [.. metrics.Select(m => m is { } v ? (decimal?)(decimal)v : null)];

    private static string Show(decimal?[] metrics) => "(" + string.Join(", ", metrics.Select(Text)) + ")";

    private static string Show(double?[] metrics) => "(" + string.Join(", ", metrics.Select(Text)) + ")";

    private static string Text(decimal? value) => value is { } v ? Math.Round(v, 4).ToString("0.####", CultureInfo.InvariantCulture) : "null";

    private static string Text(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "null";

    /// <summary>The full picture for a mismatch: the query, its SQL, and both answers.</summary>
    public static string Describe(DifferentialQuery query, string sql, string problem, string ourAnswer, IReadOnlyList<(string[] Dimensions, decimal?[] Metrics)> expected)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"#{query.Number} {query}");
        text.AppendLine(problem);
        text.AppendLine("SQL:").AppendLine(sql);
        text.Append("PostgreSQL (").Append(expected.Count).Append(" rows): ")
            .AppendLine(string.Join("; ", expected.Take(30).Select(r => $"[{Key(r.Dimensions)}] {Show(r.Metrics)}")));
        text.AppendLine("Ours: " + (ourAnswer.Length > 3000 ? ourAnswer[..3000] + "…" : ourAnswer));
        return text.ToString();
    }
}

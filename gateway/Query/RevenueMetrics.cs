using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Gateway.Query;

/// <summary>
/// Revenue metrics in a Stats API v2 answer, as Plausible writes them: <see cref="RevenueValue"/> in the row's currency
/// (the one currency of the selected revenue goals, or the row's goal's with an event:goal dimension), null where there
/// is none, and meta.metric_warnings saying why, or which currencies were left out for want of an exchange rate.
/// </summary>
public static class RevenueMetrics
{
    public const string NoExchangeRate = "no_exchange_rate";

    private static readonly IReadOnlyDictionary<string, string> Texts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["no_revenue_goals_matching"] = "Revenue metrics are null as there are no matching revenue goals.",
        ["no_single_revenue_currency"] = "Revenue metrics are null as there are multiple currencies for the selected event:goals.",
    };

    /// <summary>A row's metrics as written: numbers, and revenue values (or null) for the revenue metrics.</summary>
    public static IReadOnlyList<object?> Row(StatsQuery query, QueryResult result, IReadOnlyList<string> dimensions, IReadOnlyList<double> metrics)
    {
        var goal = IndexOf(query.Dimensions, Dimensions.Goal);
        var currency = result.RevenueCurrency
            ?? (goal >= 0 && goal < dimensions.Count ? result.GoalCurrencies.GetValueOrDefault(dimensions[goal]) : null);
        var row = new object?[metrics.Count];
        for (var m = 0; m < row.Length; m++)
        {
            row[m] = query.Metrics[m] is MetricNames.TotalRevenue or MetricNames.AverageRevenue
                ? currency is null ? null : MoneyText.Of(metrics[m], currency)
                : metrics[m];
        }

        return row;
    }

    /// <summary>meta.metric_warnings for the revenue metrics asked, or null when there is nothing to say.</summary>
    public static IReadOnlyDictionary<string, MetricWarning>? Warnings(StatsQuery query, QueryResult result)
    {
        MetricWarning? warning = result.RevenueWarning is { } code
            ? new MetricWarning(code, Texts.GetValueOrDefault(code, code))
            : result.UnconvertedCurrencies.Count > 0
                ? new MetricWarning(NoExchangeRate,
                    $"Revenue in {string.Join(", ", result.UnconvertedCurrencies)} is left out: no exchange rate converts it to its goal's currency (Analytics:Revenue:Rates or the site's revenue_rates).")
                : null;
        return warning is null
            ? null
            : query.Metrics.Where(m => m is MetricNames.TotalRevenue or MetricNames.AverageRevenue).ToDictionary(m => m, _ => warning, StringComparer.Ordinal);
    }

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}

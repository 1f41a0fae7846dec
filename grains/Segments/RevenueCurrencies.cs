using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// The currency revenue metrics are reported in, as Plausible decides it from the revenue goals the query selects (its
/// top-level event:goal filters; all goals without one): one currency for every row when they share one; by goal when
/// the query groups by event:goal (null for goals without a currency); otherwise none, with the reason as a warning code.
/// </summary>
internal static class RevenueCurrencies
{
    public const string NoRevenueGoalsMatching = "no_revenue_goals_matching";
    public const string NoSingleRevenueCurrency = "no_single_revenue_currency";

    public static QueryResult Apply(StatsQuery query, QueryResult result)
    {
        if (!query.Metrics.Any(m => m is MetricNames.TotalRevenue or MetricNames.AverageRevenue))
        {
            return result;
        }

        var byGoal = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var goal in GoalBreakdown.Selected(query).Select(g => query.Goals[g]))
        {
            if (goal.Currency is { } currency)
            {
                byGoal.TryAdd(goal.DisplayName, currency);
            }
        }

        var currencies = byGoal.Values.Distinct(StringComparer.Ordinal).ToList();
        return (currencies, query.Dimensions.Contains(Dimensions.Goal)) switch
        {
            ([], _) => result with { RevenueWarning = NoRevenueGoalsMatching },
            ([var single], false) => result with { RevenueCurrency = single },
            (_, true) => result with { GoalCurrencies = byGoal },
            _ => result with { RevenueWarning = NoSingleRevenueCurrency },
        };
    }
}

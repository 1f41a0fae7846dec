using Analytics.GrainInterfaces.Goals;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Gateway.Query;

/// <summary>
/// Plausible's rules for the metrics built on goals and pages, checked when a body is parsed (400s with its messages),
/// and the site's goals attached to a query that reads event:goal, so the segments match the configured goals and a
/// cached answer changes with them.
/// </summary>
public static class GoalQueries
{
    /// <summary>The metrics of this family: they are answered from a second question over the same segments.</summary>
    public static readonly IReadOnlyList<string> Metrics = [MetricNames.ConversionRate, MetricNames.GroupConversionRate, MetricNames.ExitRate];

    public static void Validate(IReadOnlyList<string> metrics, IReadOnlyList<string> dimensions, FilterExpression? filter)
    {
        foreach (var metric in metrics)
        {
            switch (metric)
            {
                case MetricNames.ConversionRate or MetricNames.GroupConversionRate when !dimensions.Contains(Dimensions.Goal) && !FiltersOn(filter, Dimensions.Goal, behavioural: false):
                    throw new QueryValidationException($"Metric `{metric}` can only be queried with event:goal filters or dimensions.");
                // Plausible's exit_rate is by exit page; ours also by page (exits from the page over its pageviews).
                case MetricNames.ExitRate when dimensions is not ([Dimensions.ExitPage] or [Dimensions.Page]):
                    throw new QueryValidationException($"Metric `{metric}` requires a `\"{Dimensions.ExitPage}\"` or `\"{Dimensions.Page}\"` dimension. No other dimensions are allowed.");
                case MetricNames.ExitRate when FiltersOn(filter, "event:", behavioural: false):
                    throw new QueryValidationException($"Metric `{metric}` cannot be queried when filtering on event dimensions.");
            }
        }
    }

    /// <summary>
    /// Plausible's check: every goal a top-level <c>is</c> filter on event:goal names must be one of the site's configured
    /// goals (by display name); <c>contains</c>, <c>matches</c> and negations may select none. Call after
    /// <see cref="WithGoalsAsync"/>.
    /// </summary>
    public static void ValidateGoalsExist(StatsQuery query)
    {
        IEnumerable<FilterExpression> topLevel = query.Filter switch
        {
            AndFilter and => and.Operands,
            null => [],
            var single => [single],
        };
        var configured = query.Goals.Select(g => g.DisplayName).ToHashSet(StringComparer.Ordinal);
        var missing = topLevel.OfType<DimensionFilter>()
            .Where(leaf => leaf.Dimension == Dimensions.Goal && leaf.Operator == FilterOperator.Is)
            .SelectMany(leaf => leaf.Values)
            .FirstOrDefault(name => !configured.Contains(name));
        if (missing is not null)
        {
            throw new QueryValidationException($"Invalid filters. The goal `{missing}` is not configured for this site.");
        }
    }

    /// <summary>Whether the query (dimensions or filters, has_done included) reads event:goal.</summary>
    public static bool ReadsGoals(StatsQuery query) =>
        query.Dimensions.Contains(Dimensions.Goal) || FiltersOn(query.Filter, Dimensions.Goal, behavioural: true);

    /// <summary>Whether the query asks a revenue metric (reported per revenue goal, in its currency).</summary>
    public static bool AsksRevenue(StatsQuery query) =>
        query.Metrics.Any(m => m is MetricNames.TotalRevenue or MetricNames.AverageRevenue);

    /// <summary>
    /// The query with the site's goals when it reads event:goal or asks revenue (asked of the goals grain only then),
    /// and with the exchange rates when it asks revenue.
    /// </summary>
    public static async Task<StatsQuery> WithGoalsAsync(StatsQuery query, IGrainFactory grains, IReadOnlyDictionary<string, decimal> rates)
    {
        var revenue = AsksRevenue(query);
        var goals = ReadsGoals(query) || revenue ? await grains.GetGrain<ISiteGoalsGrain>(query.Site).ListAsync() : query.Goals;
        return query with { Goals = goals, RevenueRates = revenue ? rates : query.RevenueRates };
    }

    /// <summary>Whether a leaf names a dimension starting with <paramref name="prefix"/>; inside has_done only with <paramref name="behavioural"/>.</summary>
    private static bool FiltersOn(FilterExpression? filter, string prefix, bool behavioural) => filter switch
    {
        AndFilter and => and.Operands.Any(o => FiltersOn(o, prefix, behavioural)),
        OrFilter or => or.Operands.Any(o => FiltersOn(o, prefix, behavioural)),
        NotFilter not => FiltersOn(not.Operand, prefix, behavioural),
        HasDoneFilter done => behavioural && FiltersOn(done.EventFilter, prefix, behavioural),
        DimensionFilter leaf => leaf.Dimension.StartsWith(prefix, StringComparison.Ordinal),
        _ => false,
    };
}

using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// A breakdown by configured goals. One event can complete several goals (a pageview of /blog/a completes "Visit
/// /blog/**" and "Visit /blog/a"), so goals are not one code per row: the segment is scanned once per goal, the goal's
/// completions added to the filter and the goal dropped from the dimensions, and each scan's groups are labelled with
/// the goal's display name. Only goals the query's top-level goal filters select get a row (as Plausible), and only
/// those with completions in range.
/// </summary>
internal static class GoalBreakdown
{
    /// <summary>Whether <paramref name="query"/> groups by configured goals.</summary>
    public static bool Applies(StatsQuery query) => query.Dimensions.Contains(Dimensions.Goal);

    /// <summary>
    /// A matcher of the query's configured goals when it reads event:goal, else null. event:goal is the configured goals
    /// only: on a site without goals nothing completes one (a breakdown has no rows, an `is` filter passes nothing).
    /// </summary>
    public static GoalMatcher? Matcher(Segment segment, StatsQuery query) =>
        query.Dimensions.Contains(Dimensions.Goal) || Reads(query.Filter)
            ? new GoalMatcher(segment, query.Goals)
            : null;

    /// <summary>
    /// The scroll goals the query asks about (all of them when it groups by goal, else those a positive event:goal leaf
    /// selects): only their engagement events count, so "is_not Signup" does not start counting engagement events.
    /// </summary>
    public static IEnumerable<int> AskedScrollGoals(StatsQuery query)
    {
        var goals = query.Goals;
        var asked = query.Dimensions.Contains(Dimensions.Goal)
            ? Enumerable.Range(0, goals.Count)
            : PositiveLeaves(query.Filter).SelectMany(leaf => GoalMatcher.Selected(goals, leaf));
        return asked.Distinct().Where(g => goals[g].EventName is null && goals[g].ScrollThreshold >= 0).ToList();
    }

    public static SegmentPartial Scan(Segment segment, StatsQuery query)
    {
        var matcher = new GoalMatcher(segment, query.Goals);
        var position = query.Dimensions.Where(d => !d.StartsWith("time:", StringComparison.Ordinal)).ToList().IndexOf(Dimensions.Goal);
        var rest = query.Dimensions.Where(d => d != Dimensions.Goal).ToList();
        var groups = new GroupTable();
        var unconverted = new List<string>();
        foreach (var goal in Selected(query))
        {
            var name = query.Goals[goal].DisplayName;
            var completes = new DimensionFilter(FilterOperator.Is, Dimensions.Goal, [name]);
            var sub = query with
            {
                Dimensions = rest,
                Filter = query.Filter is null ? completes : new AndFilter([query.Filter, completes]),
            };
            var partial = new SegmentScanner(segment, sub, matcher).Run();
            unconverted.AddRange(partial.Unconverted);
            var scanned = partial.Groups;
            for (var g = 0; g < scanned.Count; g++)
            {
                // The sub-query selects this goal only: revenue, if any, is this goal's (RevenueConversion).
                var key = scanned.Key(g);
                var values = key.Values.ToList();
                values.Insert(position, name);
                groups.Add(groups.GroupOf(new GroupKey(key.Time, [.. values])), scanned, g);
            }
        }

        // The denominator of percentage: the whole query, every goal together, without dimensions.
        var total = QueryShape.Of(query).NeedsTotals
            ? new SegmentScanner(segment, query with { Dimensions = [], Metrics = [MetricNames.Percentage] }, matcher).Run().TotalVisitors
            : null;
        return new SegmentPartial(groups, total, unconverted);
    }

    /// <summary>The goals selected by every top-level event:goal filter (all goals without one).</summary>
    internal static IEnumerable<int> Selected(StatsQuery query)
    {
        IEnumerable<int> selected = Enumerable.Range(0, query.Goals.Count);
        IEnumerable<FilterExpression> topLevel = query.Filter switch
        {
            AndFilter and => and.Operands,
            null => [],
            var single => [single],
        };
        foreach (var leaf in topLevel.OfType<DimensionFilter>().Where(l => l.Dimension == Dimensions.Goal))
        {
            var chosen = GoalMatcher.Selected(query.Goals, leaf).ToHashSet();
            selected = GoalMatcher.IsNegated(leaf.Operator) ? selected.Where(g => !chosen.Contains(g)) : selected.Where(chosen.Contains);
        }

        return selected.ToList();
    }

    private static IEnumerable<DimensionFilter> PositiveLeaves(FilterExpression? filter) => filter switch
    {
        AndFilter and => and.Operands.SelectMany(PositiveLeaves),
        OrFilter or => or.Operands.SelectMany(PositiveLeaves),
        HasDoneFilter { Negated: false } hasDone => PositiveLeaves(hasDone.EventFilter),
        DimensionFilter leaf when leaf.Dimension == Dimensions.Goal && !GoalMatcher.IsNegated(leaf.Operator) => [leaf],
        _ => [],
    };

    private static bool Reads(FilterExpression? filter) => filter switch
    {
        AndFilter and => and.Operands.Any(Reads),
        OrFilter or => or.Operands.Any(Reads),
        NotFilter not => Reads(not.Operand),
        HasDoneFilter hasDone => Reads(hasDone.EventFilter),
        DimensionFilter leaf => leaf.Dimension == Dimensions.Goal,
        _ => false,
    };
}

using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// The metrics whose denominator is another question over the same segments, as Plausible defines them:
/// <c>conversion_rate</c> (the row's visitors over the visitors of the whole query without its top-level event:goal
/// and event:props filters and without dimensions), <c>group_conversion_rate</c> (over the visitors of the same group
/// without those filters) and <c>exit_rate</c> (a visit:exit_page row's visits over the pageviews of that page, the
/// query's visit:exit_page filters left out; an event:page row's pageviews under the visits that exit on that page). <see cref="Questions"/> says what to scan; the partials answer them.
/// All are percentages with one decimal.
/// </summary>
public sealed class MetricDenominators
{
    private readonly Dictionary<string, SegmentPartial> _answers = new(StringComparer.Ordinal);

    /// <summary>Per metric of <paramref name="query"/> that needs one, the question whose answer is its denominator.</summary>
    public static IReadOnlyList<(string Metric, StatsQuery Question)> Questions(StatsQuery query)
    {
        var questions = new List<(string, StatsQuery)>();
        var withoutGoals = Without(query.Filter, d => d == Dimensions.Goal || d.StartsWith(Dimensions.PropsPrefix, StringComparison.Ordinal));
        foreach (var metric in query.Metrics)
        {
            switch (metric)
            {
                case MetricNames.ConversionRate:
                    questions.Add((metric, query with { Metrics = [MetricNames.Visitors], Dimensions = [], Filter = withoutGoals }));
                    break;
                case MetricNames.GroupConversionRate:
                    questions.Add((metric, query with { Metrics = [MetricNames.Visitors], Filter = withoutGoals }));
                    break;
                // By page the row has the pageviews; the exits are the visits by exit page.
                case MetricNames.ExitRate when query.Dimensions is [Dimensions.Page]:
                    questions.Add((metric, query with { Metrics = [MetricNames.Visits], Dimensions = [Dimensions.ExitPage] }));
                    break;
                case MetricNames.ExitRate:
                    questions.Add((metric, query with
                    {
                        Metrics = [MetricNames.Pageviews],
                        Dimensions = [Dimensions.Page],
                        Filter = Without(query.Filter, d => d == Dimensions.ExitPage),
                    }));
                    break;
            }
        }

        return questions;
    }

    public void Add(string metric, SegmentPartial answer) => _answers.Add(metric, answer);

    /// <summary>The metric's value for a row, or null when <paramref name="metric"/> has no denominator here.</summary>
    internal double? Metric(StatsQuery query, string metric, GroupTable rows, int row)
    {
        if (!_answers.TryGetValue(metric, out var answer))
        {
            return null;
        }

        var lookup = metric == MetricNames.ConversionRate ? new GroupKey(0, []) : rows.Key(row);
        var groups = answer.Groups;
        var found = groups.TryFind(lookup, out var group);
        var (numerator, denominator) = metric switch
        {
            MetricNames.ExitRate when query.Dimensions is [Dimensions.Page] => (found ? groups.Counter(group, GroupTable.Visits) : 0, rows.Counter(row, GroupTable.Pageviews)),
            MetricNames.ExitRate => (rows.Counter(row, GroupTable.Visits), found ? groups.Counter(group, GroupTable.Pageviews) : 0),
            _ => (rows.VisitorCount(row), found ? groups.VisitorCount(group) : 0),
        };
        return denominator > 0 ? (double)Math.Round(100m * numerator / denominator, 1, MidpointRounding.AwayFromZero) : 0;
    }

    /// <summary><paramref name="filter"/> without its top-level leaves on the dimensions <paramref name="drop"/> names.</summary>
    private static FilterExpression? Without(FilterExpression? filter, Func<string, bool> drop)
    {
        return filter switch
        {
            AndFilter and => and.Operands.Where(Keep).ToList() is { Count: > 0 } kept ? new AndFilter(kept) : null,
            _ when filter is not null && !Keep(filter) => null,
            _ => filter,
        };

        bool Keep(FilterExpression operand) => operand is not DimensionFilter leaf || !drop(leaf.Dimension);
    }
}

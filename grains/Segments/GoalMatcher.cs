using System.Text.RegularExpressions;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Goals;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// Which event rows of a segment complete a query's configured goals, as Plausible defines completion: a custom event
/// goal is its event name (with every one of its custom property values), a page goal a pageview whose path matches
/// the goal's path (<c>*</c> within a path segment, <c>**</c> across them), a scroll goal an engagement event on such a
/// path reporting at least its threshold. Paths and names are tested once per dictionary entry; rows then compare codes.
/// </summary>
internal sealed class GoalMatcher(Segment segment, IReadOnlyList<Goal> goals)
{
    private readonly bool[]?[] _masks = new bool[goals.Count][];

    public IReadOnlyList<Goal> Goals => goals;

    /// <summary>Whether some goal is a scroll goal: its completions are engagement events.</summary>
    public bool HasScrollGoals => goals.Any(g => g.EventName is null && g.ScrollThreshold >= 0);

    /// <summary>The goals whose display names pass <paramref name="leaf"/>'s test, negation aside (Plausible selects goals by name).</summary>
    public static IEnumerable<int> Selected(IReadOnlyList<Goal> goals, DimensionFilter leaf)
    {
        var test = StringPredicate.Compile(leaf with { Operator = Positive(leaf.Operator) });
        return Enumerable.Range(0, goals.Count).Where(g => test(goals[g].DisplayName));
    }

    public static bool IsNegated(FilterOperator op) => op != Positive(op);

    /// <summary>Per event row, whether it completes goal number <paramref name="goal"/> (computed once per matcher).</summary>
    public bool[] Mask(int goal) => _masks[goal] ??= Compute(goals[goal]);

    /// <summary>Per event row, whether it completes any of <paramref name="selected"/>.</summary>
    public bool[] Any(IEnumerable<int> selected)
    {
        var result = new bool[segment.EventCount];
        foreach (var goal in selected)
        {
            var mask = Mask(goal);
            for (var i = 0; i < result.Length; i++)
            {
                result[i] |= mask[i];
            }
        }

        return result;
    }

    /// <summary>A page goal's path as a test: equality, or an anchored pattern when it has wildcards.</summary>
    public static Func<string, bool> PathTest(string path)
    {
        if (!path.Contains('*', StringComparison.Ordinal))
        {
            return p => string.Equals(p, path, StringComparison.Ordinal);
        }

        var pattern = "^" + Regex.Escape(path).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$";
        var regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        return regex.IsMatch;
    }

    private static FilterOperator Positive(FilterOperator op) => op switch
    {
        FilterOperator.IsNot => FilterOperator.Is,
        FilterOperator.ContainsNot => FilterOperator.Contains,
        FilterOperator.MatchesNot => FilterOperator.Matches,
        _ => op,
    };

    private bool[] Compute(Goal goal)
    {
        var events = segment.Events;
        var names = events.Name.Codes;
        var mask = new bool[events.Count];
        if (goal.EventName is { } eventName)
        {
            var name = events.Name.CodeOf(eventName);
            var props = goal.CustomProps.Select(p => (Codes: segment.PropCodes(p.Key), Value: segment.Props.PropValues.CodeOf(p.Value))).ToArray();
            if (name < 0 || props.Any(p => p.Value < 0))
            {
                return mask;
            }

            for (var i = 0; i < mask.Length; i++)
            {
                if (names[i] != name)
                {
                    continue;
                }

                var all = true;
                foreach (var (codes, value) in props)
                {
                    all &= codes[i] == value;
                }

                mask[i] = all;
            }

            return mask;
        }

        var test = PathTest(goal.PagePath ?? string.Empty);
        var pageValues = events.Page.Values;
        var pageTable = new bool[pageValues.Length + 1];
        for (var c = 0; c < pageValues.Length; c++)
        {
            pageTable[c] = test(pageValues[c]);
        }

        var scroll = goal.ScrollThreshold >= 0;
        var wanted = events.Name.CodeOf(scroll ? EventNames.Engagement : EventNames.Pageview);
        if (wanted < 0)
        {
            return mask;
        }

        var pages = events.Page.Codes;
        var depths = events.ScrollDepth;
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = names[i] == wanted && pageTable[pages[i]]
                && (!scroll || depths.GetValue(i) is { } depth && depth >= goal.ScrollThreshold && depth <= 100);
        }

        return mask;
    }
}

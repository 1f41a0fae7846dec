using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// Evaluates a filter tree over a segment's event rows, a column at a time: each leaf's string test runs once per
/// dictionary entry (<see cref="StringPredicate"/>), then one table lookup per row; and/or/not combine masks.
/// visit:* leaves read the event's session; has_done marks the sessions with a matching event. An event without a
/// session never passes a tree that reads the visit. With configured goals (<paramref name="goals"/>), an event:goal
/// leaf selects goals by display name and passes the events completing one of them (negated: none of them).
/// </summary>
internal sealed class FilterEvaluator(Segment segment, bool[] countable, GoalMatcher? goals = null)
{
    private int Rows => countable.Length;

    public bool[] Evaluate(FilterExpression filter)
    {
        var mask = Node(filter);
        if (ReadsVisit(filter))
        {
            var sessionOf = segment.SessionOfEvent;
            for (var i = 0; i < mask.Length; i++)
            {
                mask[i] &= sessionOf[i] >= 0;
            }
        }

        return mask;
    }

    private static bool ReadsVisit(FilterExpression filter) => filter switch
    {
        AndFilter and => and.Operands.Any(ReadsVisit),
        OrFilter or => or.Operands.Any(ReadsVisit),
        NotFilter not => ReadsVisit(not.Operand),
        HasDoneFilter => true,
        DimensionFilter leaf => !QueryShape.IsEventDimension(leaf.Dimension),
        _ => false,
    };

    private bool[] Node(FilterExpression filter) => filter switch
    {
        AndFilter and => Combine(and.Operands, all: true),
        OrFilter or => Combine(or.Operands, all: false),
        NotFilter not => Not(Node(not.Operand)),
        HasDoneFilter hasDone => HasDone(hasDone),
        DimensionFilter leaf => Leaf(leaf),
        _ => throw new ArgumentException($"Unknown filter {filter.GetType().Name}."),
    };

    private bool[] Leaf(DimensionFilter leaf)
    {
        if (goals is not null && leaf.Dimension == Dimensions.Goal)
        {
            var completed = goals.Any(GoalMatcher.Selected(goals.Goals, leaf));
            return GoalMatcher.IsNegated(leaf.Operator) ? Not(completed) : completed;
        }

        var dimension = SegmentDimension.ForFilter(segment, leaf.Dimension);
        var table = StringPredicate.Table(leaf, dimension.Values, dimension.NullLabel);
        var mask = new bool[Rows];
        dimension.EventMask(table, mask);
        return mask;
    }

    private bool[] Combine(IReadOnlyList<FilterExpression> operands, bool all)
    {
        if (operands.Count == 0)
        {
            var empty = new bool[Rows];
            Array.Fill(empty, all);
            return empty;
        }

        var result = Node(operands[0]);
        for (var o = 1; o < operands.Count; o++)
        {
            var next = Node(operands[o]);
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = all ? result[i] & next[i] : result[i] | next[i];
            }
        }

        return result;
    }

    private static bool[] Not(bool[] mask)
    {
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = !mask[i];
        }

        return mask;
    }

    /// <summary>The session has (or has not) an event in range, not an engagement, that matches the inner filter.</summary>
    private bool[] HasDone(HasDoneFilter hasDone)
    {
        var inner = Evaluate(hasDone.EventFilter);
        var sessionOf = segment.SessionOfEvent;
        var done = new bool[segment.SessionCount];
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] && countable[i] && sessionOf[i] >= 0)
            {
                done[sessionOf[i]] = true;
            }
        }

        var mask = new bool[Rows];
        for (var i = 0; i < mask.Length; i++)
        {
            var s = sessionOf[i];
            mask[i] = s >= 0 && done[s] != hasDone.Negated;
        }

        return mask;
    }
}

using System.Buffers;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// Evaluates a filter tree over a segment's event rows, a column at a time: each leaf's string test runs once per
/// dictionary entry (<see cref="StringPredicate"/>), then one table lookup per row; and/or/not combine masks.
/// visit:* leaves read the event's session; has_done marks the sessions with a matching event. An event without a
/// session never passes a tree that reads the visit. With configured goals (<paramref name="goals"/>), an event:goal
/// leaf selects goals by display name and passes the events completing one of them (negated: none of them).
/// Masks come from the shared pool (longer than the rows; only the first <see cref="Rows"/> count) and go back on
/// <see cref="Dispose"/>, the evaluated one included: a segment's masks are large-object-heap arrays, and allocated per
/// scan they brought full collections of a silo heap holding cached partials.
/// </summary>
internal sealed class FilterEvaluator(Segment segment, bool[] countable, GoalMatcher? goals = null) : IDisposable
{
    private readonly List<bool[]> _rented = [];

    private int Rows => segment.Events.Count;

    public void Dispose()
    {
        foreach (var mask in _rented)
        {
            ArrayPool<bool>.Shared.Return(mask);
        }

        _rented.Clear();
    }

    public bool[] Evaluate(FilterExpression filter)
    {
        var mask = Node(filter);
        if (ReadsVisit(filter))
        {
            var sessionOf = segment.SessionOfEvent;
            for (var i = 0; i < Rows; i++)
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
        var mask = Rent();
        dimension.EventMask(table, mask.AsSpan(0, Rows));
        return mask;
    }

    private bool[] Combine(IReadOnlyList<FilterExpression> operands, bool all)
    {
        if (operands.Count == 0)
        {
            var empty = Rent();
            Array.Fill(empty, all, 0, Rows);
            return empty;
        }

        var result = Node(operands[0]);
        for (var o = 1; o < operands.Count; o++)
        {
            var next = Node(operands[o]);
            for (var i = 0; i < Rows; i++)
            {
                result[i] = all ? result[i] & next[i] : result[i] | next[i];
            }
        }

        return result;
    }

    private bool[] Not(bool[] mask)
    {
        for (var i = 0; i < Rows; i++)
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
        for (var i = 0; i < Rows; i++)
        {
            if (inner[i] && countable[i] && sessionOf[i] >= 0)
            {
                done[sessionOf[i]] = true;
            }
        }

        var mask = Rent();
        for (var i = 0; i < Rows; i++)
        {
            var s = sessionOf[i];
            mask[i] = s >= 0 && done[s] != hasDone.Negated;
        }

        return mask;
    }

    /// <summary>A mask of at least <see cref="Rows"/> entries, given back on <see cref="Dispose"/>; its content is for the caller to write.</summary>
    private bool[] Rent()
    {
        var mask = ArrayPool<bool>.Shared.Rent(Math.Max(1, Rows));
        _rented.Add(mask);
        return mask;
    }
}

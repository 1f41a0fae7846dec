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
/// A leaf whose table is all one value (no value of the segment's dictionary passes, or every one does) is a constant,
/// folded through and/or/not without touching a row: a segment where a filter excludes nothing is read as if unfiltered.
/// Masks come from the shared pool (longer than the rows; only the first <see cref="Rows"/> count) and go back on
/// <see cref="Dispose"/>, the evaluated one included: a segment's masks are large-object-heap arrays, and allocated per
/// scan they brought full collections of a silo heap holding cached partials.
/// </summary>
/// <param name="countable">The rows has_done may count (in range, not engagement), made when a has_done leaf first needs them.</param>
internal sealed class FilterEvaluator(Segment segment, Func<bool[]> countable, GoalMatcher? goals = null) : IDisposable
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

    /// <summary>Which rows pass <paramref name="filter"/>: a mask, or null when every row does.</summary>
    public bool[]? Evaluate(FilterExpression filter)
    {
        var mask = Node(filter);
        if (ReadsVisit(filter))
        {
            var rows = Materialize(mask);
            var sessionOf = segment.SessionOfEvent;
            for (var i = 0; i < Rows; i++)
            {
                rows[i] &= sessionOf[i] >= 0;
            }

            return rows;
        }

        return mask.Rows is null && mask.Constant ? null : Materialize(mask);
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

    private Mask Node(FilterExpression filter) => filter switch
    {
        AndFilter and => Combine(and.Operands, all: true),
        OrFilter or => Combine(or.Operands, all: false),
        NotFilter not => Not(Node(not.Operand)),
        HasDoneFilter hasDone => new Mask(HasDone(hasDone)),
        DimensionFilter leaf => Leaf(leaf),
        _ => throw new ArgumentException($"Unknown filter {filter.GetType().Name}."),
    };

    private Mask Leaf(DimensionFilter leaf)
    {
        if (goals is not null && leaf.Dimension == Dimensions.Goal)
        {
            var completed = goals.Any(GoalMatcher.Selected(goals.Goals, leaf));
            return GoalMatcher.IsNegated(leaf.Operator) ? Not(new Mask(completed)) : new Mask(completed);
        }

        var dimension = SegmentDimension.ForFilter(segment, leaf.Dimension);
        var table = StringPredicate.Table(leaf, dimension.Values, dimension.NullLabel);
        if (Array.IndexOf(table, !table[0]) < 0)
        {
            return Mask.All(table[0]);
        }

        var mask = Rent();
        dimension.EventMask(table, mask.AsSpan(0, Rows));
        return new Mask(mask);
    }

    private Mask Combine(IReadOnlyList<FilterExpression> operands, bool all)
    {
        // and: true unless an operand is false; or: false unless one is true.
        var result = Mask.All(all);
        foreach (var operand in operands)
        {
            var next = Node(operand);
            if (next.Rows is null)
            {
                if (next.Constant != all)
                {
                    return next;
                }

                continue;
            }

            if (result.Rows is null)
            {
                result = next;
                continue;
            }

            var mine = result.Rows;
            for (var i = 0; i < Rows; i++)
            {
                mine[i] = all ? mine[i] & next.Rows[i] : mine[i] | next.Rows[i];
            }
        }

        return result;
    }

    private Mask Not(Mask mask)
    {
        if (mask.Rows is not { } rows)
        {
            return Mask.All(!mask.Constant);
        }

        for (var i = 0; i < Rows; i++)
        {
            rows[i] = !rows[i];
        }

        return mask;
    }

    /// <summary>The session has (or has not) an event in range, not an engagement, that matches the inner filter.</summary>
    private bool[] HasDone(HasDoneFilter hasDone)
    {
        var inner = Evaluate(hasDone.EventFilter);
        var counted = countable();
        var sessionOf = segment.SessionOfEvent;
        var done = new bool[segment.SessionCount];
        for (var i = 0; i < Rows; i++)
        {
            if ((inner is null || inner[i]) && counted[i] && sessionOf[i] >= 0)
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

    private bool[] Materialize(Mask mask)
    {
        if (mask.Rows is { } rows)
        {
            return rows;
        }

        var filled = Rent();
        Array.Fill(filled, mask.Constant, 0, Rows);
        return filled;
    }

    /// <summary>A mask of at least <see cref="Rows"/> entries, given back on <see cref="Dispose"/>; its content is for the caller to write.</summary>
    private bool[] Rent()
    {
        var mask = ArrayPool<bool>.Shared.Rent(Math.Max(1, Rows));
        _rented.Add(mask);
        return mask;
    }

    /// <summary>Rows that pass, or (no rows) the same answer for every row.</summary>
    private readonly record struct Mask(bool[]? Rows, bool Constant = false)
    {
        public static Mask All(bool value) => new(null, value);
    }
}

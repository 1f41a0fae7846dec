using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;
using Analytics.Grains.Sessions;

namespace Analytics.Grains.Metrics;

/// <summary>
/// Rebuilds bucket states from raw events, in memory, with the live rules: a fresh <see cref="VisitorState"/> per visitor
/// runs through <see cref="Sessionizer"/>, contributions fan out with <see cref="BucketFanOut"/> and land through
/// <see cref="MetricBucketState.Apply"/>. Feed events in time order (the raw log's clustering order); duplicates of an
/// event id are recognised as live.
/// Counters, sessions and visitor sketches come out equal to the live buckets. Breakdown rows beyond
/// BreakdownCapacity can differ in which values got named rows, since that depends on arrival order.
/// </summary>
public sealed class BucketRebuilder(int breakdownCapacity)
{
    private readonly Dictionary<string, VisitorState> _visitors = new(StringComparer.Ordinal);
    private readonly Dictionary<BucketKey, MetricBucketState> _buckets = [];
    private readonly List<BucketContribution> _scratch = [];

    public long Events { get; private set; }

    public IReadOnlyDictionary<BucketKey, MetricBucketState> Buckets => _buckets;

    public int Visitors => _visitors.Count;

    public void Add(TrackedEvent e)
    {
        Events++;
        if (!_visitors.TryGetValue(e.VisitorKey, out var visitor))
        {
            visitor = new VisitorState();
            _visitors[e.VisitorKey] = visitor;
        }

        _scratch.Clear();
        Sessionizer.Apply(visitor, e, _scratch);
        foreach (var c in _scratch)
        {
            BucketFanOut.Expand(c, Land);
        }
    }

    /// <summary>The rebuilt states, with no in-flight ids left (nothing is awaiting a visitor's confirmation).</summary>
    public MetricBucketState StateOf(BucketKey key)
    {
        if (!_buckets.TryGetValue(key, out var state))
        {
            return new MetricBucketState();
        }

        state.InFlight.Clear();
        return state;
    }

    private void Land(BucketKey key, BucketContribution c)
    {
        if (!_buckets.TryGetValue(key, out var state))
        {
            state = new MetricBucketState();
            _buckets[key] = state;
        }

        // In-flight ids double as the de-duplication of the rebuild; cleared when the state is handed out.
        state.Apply([c], breakdownCapacity, 0);
    }
}

using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Sessions;

namespace Analytics.Grains.Segments;

/// <summary>
/// Re-sessionizes raw events in memory with the live rules: a fresh <see cref="VisitorState"/> per visitor runs through
/// <see cref="Sessionizer"/>, and the appends are kept per segment. Feed events in time order (the raw log's clustering
/// order); duplicates of an event id are recognised as live. Rows come out as the live ones would.
/// </summary>
public sealed class SegmentRebuilder
{
    private readonly Dictionary<string, VisitorState> _visitors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SegmentAppend>> _segments = new(StringComparer.Ordinal);
    private readonly List<RoutedAppend> _scratch = [];

    public long Events { get; private set; }

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
        foreach (var routed in _scratch)
        {
            if (!_segments.TryGetValue(routed.Segment, out var appends))
            {
                appends = [];
                _segments[routed.Segment] = appends;
            }

            appends.Add(routed.Append);
        }
    }

    /// <summary>The appends of <paramref name="segment"/>, in order; empty when no event landed there.</summary>
    public IReadOnlyList<SegmentAppend> AppendsOf(SegmentKey segment) =>
        _segments.TryGetValue(segment.ToString(), out var appends) ? appends : [];
}

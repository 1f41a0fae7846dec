using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Lanes;

namespace Analytics.Grains.Reaggregation;

/// <summary>
/// Re-sessionizes raw events in memory with the live rules: one <see cref="LaneSessionTable"/>, as a lane would, and the
/// appends kept per segment. Feed events in time order (the raw log's clustering order); duplicates of an event id are
/// recognised as live. Rows come out as the live ones would; the rebuilt segments keep the lanes' positions.
/// </summary>
public sealed class SegmentRebuilder
{
    private const int BatchSize = 4_096;

    /// <summary>The producer of rebuilt rows: not a lane, so a segment's lane positions are untouched by it.</summary>
    private const ulong Producer = 0;

    private readonly LaneSessionTable _table = new(Producer);
    private readonly List<LaneEvent> _pending = new(BatchSize);
    private readonly Dictionary<string, List<SegmentAppend>> _segments = new(StringComparer.Ordinal);

    public long Events { get; private set; }

    public void Add(TrackedEvent e)
    {
        _pending.Add(new LaneEvent(++Events, e));
        if (_pending.Count == BatchSize)
        {
            Flush();
        }
    }

    /// <summary>The appends of <paramref name="segment"/>, in order; empty when no event landed there.</summary>
    public IReadOnlyList<SegmentAppend> AppendsOf(SegmentKey segment)
    {
        Flush();
        return _segments.TryGetValue(segment.ToString(), out var appends) ? appends : [];
    }

    /// <summary>Sessionizes what is pending; locked, since a caller may ask for segments in parallel once every event is added.</summary>
    private void Flush()
    {
        lock (_pending)
        {
            if (_pending.Count > 0)
            {
                FlushPending();
            }
        }
    }

    private void FlushPending()
    {
        foreach (var routed in _table.Sessionize(_pending).Appends)
        {
            if (!_segments.TryGetValue(routed.Segment, out var appends))
            {
                appends = [];
                _segments[routed.Segment] = appends;
            }

            appends.Add(routed.Append);
        }

        _pending.Clear();
    }
}

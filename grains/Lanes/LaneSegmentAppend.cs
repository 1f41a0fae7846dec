using Analytics.GrainInterfaces.Segments;

namespace Analytics.Grains.Lanes;

/// <summary>What one batch of a lane adds to one segment, gathered while sessionizing: rows with their offsets, session snapshots by id.</summary>
internal sealed class LaneSegmentAppend(string segment)
{
    private readonly List<EventRow> _events = [];
    private readonly List<long> _offsets = [];
    private readonly Dictionary<ulong, SessionRow> _sessions = [];

    public void Add(EventRow row, long offset)
    {
        _events.Add(row);
        _offsets.Add(offset);
    }

    /// <summary>A session's snapshot; a later one of the same session replaces it.</summary>
    public void Add(SessionRow session) => _sessions[session.SessionId] = session;

    public RoutedAppend ToRouted(ulong producer) => new(segment, new SegmentAppend
    {
        Producer = producer,
        Sequence = _offsets[^1],
        Events = _events,
        EventSequences = _offsets,
        Sessions = [.. _sessions.Values],
    });
}

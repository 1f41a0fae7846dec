using Analytics.GrainInterfaces.Segments;

namespace Analytics.Grains.Segments;

/// <summary>
/// An open segment: takes appends (skipping any producer sequence already applied), keeps session snapshots by id
/// (a newer version replaces an older one), and builds the immutable <see cref="Segment"/> that queries scan and that is
/// sealed to storage. Not thread-safe: owned by one grain activation.
/// </summary>
public sealed class SegmentBuilder
{
    private readonly List<EventRow> _events = [];
    private readonly Dictionary<ulong, SessionRow> _sessions = [];
    private readonly Dictionary<ulong, long> _applied = [];
    private Segment? _built;

    public SegmentBuilder(SegmentKey key) => Key = key;

    public SegmentKey Key { get; }

    public int EventCount => _events.Count;

    public int SessionCount => _sessions.Count;

    /// <summary>A sealed segment opened again for late rows: its rows and the producers' applied sequences are kept.</summary>
    public static SegmentBuilder Reopen(Segment sealedSegment)
    {
        var builder = new SegmentBuilder(sealedSegment.Key);
        builder._events.AddRange(sealedSegment.EventRows());
        foreach (var session in sealedSegment.SessionRows())
        {
            builder._sessions[session.SessionId] = session;
        }

        foreach (var (producer, sequence) in sealedSegment.Producers)
        {
            builder._applied[producer] = sequence;
        }

        builder._built = sealedSegment;
        return builder;
    }

    /// <summary>
    /// Applies the rows of an append above its producer's applied sequence and its session snapshots (newer versions
    /// replace older ones); false when it changed nothing (a replay).
    /// </summary>
    public bool Apply(SegmentAppend append)
    {
        var applied = _applied.TryGetValue(append.Producer, out var a) ? a : long.MinValue;
        var changed = false;
        for (var i = 0; i < append.Events.Count; i++)
        {
            if (append.SequenceOf(i) > applied)
            {
                _events.Add(append.Events[i]);
                changed = true;
            }
        }

        foreach (var session in append.Sessions)
        {
            if (!_sessions.TryGetValue(session.SessionId, out var current) || current.Version < session.Version)
            {
                _sessions[session.SessionId] = session;
                changed = true;
            }
        }

        if (append.Sequence > applied)
        {
            _applied[append.Producer] = append.Sequence;
            changed = true;
        }

        if (changed)
        {
            _built = null;
        }

        return changed;
    }

    /// <summary>Keeps every producer position of <paramref name="other"/> that is ahead of this builder's (a rebuild must still skip replays).</summary>
    public void KeepPositions(IReadOnlyDictionary<ulong, long> other)
    {
        foreach (var (producer, sequence) in other)
        {
            if (!_applied.TryGetValue(producer, out var mine) || mine < sequence)
            {
                _applied[producer] = sequence;
                _built = null;
            }
        }
    }

    /// <summary>
    /// The rows so far as an immutable, scannable segment; cached until the next append. Events are ordered by session
    /// and time, which puts each session's rows together (the scanner relies on it to count a session once per group
    /// without a hash set) and compresses its repeated ids to almost nothing.
    /// </summary>
    public Segment Build()
    {
        if (_built is not null)
        {
            return _built;
        }

        var events = _events.ToArray();
        var eventOrder = new (ulong Session, long Ticks)[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            eventOrder[i] = (events[i].Session, events[i].Timestamp.Ticks);
        }

        Array.Sort(eventOrder, events);
        var sessions = _sessions.Values.ToArray();
        var sessionOrder = new (long Ticks, ulong Id)[sessions.Length];
        for (var i = 0; i < sessions.Length; i++)
        {
            sessionOrder[i] = (sessions[i].Start.Ticks, sessions[i].SessionId);
        }

        Array.Sort(sessionOrder, sessions);
        return _built = Segment.From(Key, events, sessions, _applied);
    }
}

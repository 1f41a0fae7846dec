using System.IO.Hashing;
using System.Runtime.CompilerServices;
using Analytics.Abstractions.Lanes;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Sessions;

namespace Analytics.Grains.Lanes;

/// <summary>
/// The session state of every visitor of one lane, in a compact table (one fixed-size <see cref="LaneSlot"/> per visitor,
/// strings shared through <see cref="LaneStrings"/>), and the <see cref="Sessionizer"/> rules applied a batch at a time.
/// Deterministic: the same checkpoint and the same events in the same order give the same rows, whatever the batches,
/// which is what lets segments recognise a replay by offset. A visitor is forgotten once its latest event is both more
/// than <see cref="Retention"/> behind the lane's watermark (the latest event time it has seen) and more than
/// <see cref="RetainedOffsets"/> behind the lane's offset: logically at once (an event of it is sessionized as a new
/// visitor's; both conditions follow from the events and their order alone, never from batches or timing), physically
/// by a sweep. The second condition keeps a backfill of old events (an import behind live traffic) sessionized as
/// visits, although its times are far behind the watermark.
/// Not thread-safe: owned by one grain activation.
/// </summary>
public sealed class LaneSessionTable
{
    /// <summary>How far behind the watermark a visitor is kept: past the session timeout, with room for beacons that arrive late.</summary>
    public static readonly TimeSpan Retention = Sessionizer.SessionTimeout + TimeSpan.FromHours(1);

    /// <summary>How many offsets of its queue a visitor is kept past its last event, whatever the times.</summary>
    public const long RetainedOffsets = 4_000_000;

    private static readonly long SweepEvery = TimeSpan.FromMinutes(1).Ticks;

    private readonly ulong _producer;
    private readonly long _retainedOffsets;
    private readonly Dictionary<ulong, int> _index = [];
    private readonly Stack<int> _free = new();
    private readonly LaneSlots _slots = new();
    private int _used;
    private LaneStrings _strings = new();
    private int _stringsAfterCompaction;
    private LaneAttributeSets _attributes = new();
    private int _attributesAfterCompaction;
    private long _watermark = DateTime.MinValue.Ticks;
    private long _nextSweep;
    private long _sinceSweep;
    private int _batch;

    /// <summary>
    /// The earliest event time per stretch of a quarter of <see cref="RetainedOffsets"/>, over the last ones: a visitor
    /// touched within the retained offsets has its latest event at or after their minimum, which bounds what the store may drop.
    /// </summary>
    private readonly List<(long Start, long MinTicks)> _stretches = [];

    /// <summary>After a restore: the earliest latest-event time of the visitors it brought back, until the retained offsets have passed.</summary>
    private (long Until, long MinTicks) _restored = (long.MinValue, long.MaxValue);

    public LaneSessionTable(ulong producer, long retainedOffsets = RetainedOffsets)
    {
        _producer = producer;
        _retainedOffsets = retainedOffsets;
    }

    /// <summary>The offset of the last event handled: events at or below it are skipped.</summary>
    public long Offset { get; private set; } = -1;

    /// <summary>The latest event time seen.</summary>
    public DateTime Watermark => new(_watermark, DateTimeKind.Utc);

    /// <summary>Visitors held (each with its open or last session).</summary>
    public int OpenSessions => _index.Count;

    /// <summary>Memory the table holds, estimated from its arrays and strings.</summary>
    public long EstimatedBytes =>
        ((long)_slots.Capacity * Unsafe.SizeOf<LaneSlot>()) + (_index.Count * 24L) + (_free.Count * 4L) + (_strings.Chars * 2) + (_strings.Count * 56L) + _attributes.Bytes;

    /// <summary>Visitors whose latest event is before this are forgotten (no longer in memory, never again changed): the store may drop them.</summary>
    public DateTime ExpireBefore
    {
        get
        {
            var bound = _watermark - Retention.Ticks;
            foreach (var (_, minTicks) in _stretches)
            {
                bound = Math.Min(bound, minTicks);
            }

            if (Offset <= _restored.Until)
            {
                bound = Math.Min(bound, _restored.MinTicks);
            }

            return bound > DateTime.MinValue.Ticks ? new DateTime(bound, DateTimeKind.Utc) : DateTime.MinValue;
        }
    }

    /// <summary>A table as checkpointed: its offset, watermark and the visitors still within retention.</summary>
    public static LaneSessionTable Restore(ulong producer, LaneCheckpoint checkpoint, long retainedOffsets = RetainedOffsets)
    {
        var table = new LaneSessionTable(producer, retainedOffsets) { Offset = checkpoint.Offset };
        table._watermark = checkpoint.Watermark.Ticks;
        foreach (var stored in checkpoint.Sessions)
        {
            var slot = LaneSessionCodec.Read(stored.State.Span, table._strings, table._attributes);
            if (!table.Expired(slot))
            {
                table._slots[table.Allocate(slot.Visitor)] = slot;
                table._restored = (checkpoint.Offset + retainedOffsets, Math.Min(table._restored.MinTicks, slot.LastTicks));
            }
        }

        table._nextSweep = table._watermark + SweepEvery;
        table._stringsAfterCompaction = table._strings.Count;
        table._attributesAfterCompaction = table._attributes.Count;
        return table;
    }

    /// <summary>Records that every event up to <paramref name="offset"/> is handled without being sessionized (dropped before: an erased site's).</summary>
    public void SkipTo(long offset) => Offset = Math.Max(Offset, offset);

    /// <summary>
    /// Sessionizes a batch (offsets increasing; those at or below <see cref="Offset"/> are skipped). Each event row goes to
    /// the segment of its session's start day (its own day without a session) with its offset; each touched session's last
    /// snapshot goes there once; every visitor the batch changed is returned for the checkpoint.
    /// </summary>
    public LaneBatch Sessionize(IReadOnlyList<LaneEvent> events)
    {
        _batch++;
        _sinceSweep += events.Count;
        var segments = new Dictionary<(int Site, long Day), LaneSegmentAppend>();
        var changed = new List<int>();
        var touched = new List<int>();
        var duplicates = 0;
        foreach (var (offset, e) in events)
        {
            if (offset <= Offset)
            {
                continue;
            }

            Offset = offset;
            var visitor = VisitorHash.Of(e.Site, e.VisitorId);
            var at = Find(visitor, e.Site, segments);
            ref var slot = ref _slots[at];
            var id = IdHash(e.Id);
            if (Remembers(slot, id))
            {
                duplicates++;
                continue;
            }

            slot.Recent[slot.RecentNext] = id;
            slot.RecentNext = (slot.RecentNext + 1) % LaneSlot.RememberedEvents;
            if (slot.Batch != _batch)
            {
                slot.Batch = _batch;
                slot.SessionTouched = false;
                changed.Add(at);
            }

            var ticks = e.Timestamp.Ticks;
            slot.LastTicks = Math.Max(slot.LastTicks, ticks);
            slot.LastOffset = offset;
            NoteStretch(offset, ticks);
            Apply(ref slot, at, e, visitor, offset, segments, touched);
            _watermark = Math.Max(_watermark, ticks);
        }

        foreach (var at in touched)
        {
            ref var slot = ref _slots[at];
            if (slot.SessionTouched)
            {
                EmitSession(slot, segments);
            }
        }

        // The changed sessions' bytes share one array, sized exactly (slices of it), not an array each.
        var lengths = new int[changed.Count];
        var total = 0;
        for (var i = 0; i < changed.Count; i++)
        {
            total += lengths[i] = LaneSessionCodec.SizeOf(_slots[changed[i]], _strings, _attributes);
        }

        var stored = new List<StoredLaneSession>(changed.Count);
        // Not zeroed first: Write fills every byte it is given, and checks that it did.
        Memory<byte> written = total == 0 ? Memory<byte>.Empty : GC.AllocateUninitializedArray<byte>(total);
        for (var i = 0; i < changed.Count; i++)
        {
            ref var slot = ref _slots[changed[i]];
            var state = written[..lengths[i]];
            LaneSessionCodec.Write(slot, _strings, _attributes, state.Span);
            stored.Add(new StoredLaneSession(slot.Visitor, _strings.Text(slot.Site), new DateTime(slot.LastTicks, DateTimeKind.Utc), state));
            written = written[lengths[i]..];
        }

        // A sweep walks every open session: at most once per minute of event time, and only after an eighth as many
        // events as there are sessions, so replaying history (a minute of event time in a few events) costs each event
        // a few slot checks, not a walk of the table per minute.
        if (_watermark >= _nextSweep && _sinceSweep >= _index.Count / 8)
        {
            Sweep();
        }

        return new LaneBatch([.. segments.Values.Select(s => s.ToRouted(_producer))], stored, duplicates);
    }

    private void Apply(ref LaneSlot slot, int at, TrackedEvent e, ulong visitor, long offset, Dictionary<(int, long), LaneSegmentAppend> segments, List<int> touched)
    {
        var site = slot.Site;
        if (slot.HasSession && e.Timestamp.Ticks < slot.StartTicks && !ArrivedOutOfOrder(slot, e))
        {
            // Imported, timestamped by its sender or delivered late: sessionized as if alone, the current session untouched.
            if (e.IsEngagement)
            {
                Segment(segments, site, e.Timestamp.Ticks).Add(EventRowOf(e, visitor, 0), offset);
                return;
            }

            var alone = new LaneSlot { Visitor = visitor, Site = site };
            Open(ref alone, e, visitor);
            var append = Segment(segments, site, alone.StartTicks);
            append.Add(EventRowOf(e, visitor, alone.SessionId), offset);
            append.Add(Snapshot(alone));
            return;
        }

        if (slot.HasSession && Continues(slot, e))
        {
            Extend(ref slot, e);
        }
        else if (e.IsEngagement)
        {
            Segment(segments, site, e.Timestamp.Ticks).Add(EventRowOf(e, visitor, 0), offset);
            return;
        }
        else
        {
            if (slot.HasSession && slot.SessionTouched)
            {
                // Its last snapshot of this batch, before the slot takes the next session.
                EmitSession(slot, segments);
            }

            Open(ref slot, e, visitor);
        }

        if (!slot.SessionTouched)
        {
            slot.SessionTouched = true;
            touched.Add(at);
        }

        Segment(segments, site, slot.StartTicks).Add(EventRowOf(e, visitor, slot.SessionId), offset);
    }

    private void EmitSession(in LaneSlot slot, Dictionary<(int, long), LaneSegmentAppend> segments) =>
        Segment(segments, slot.Site, slot.StartTicks).Add(Snapshot(slot));

    private LaneSegmentAppend Segment(Dictionary<(int Site, long Day), LaneSegmentAppend> segments, int site, long ticks)
    {
        var day = ticks / TimeSpan.TicksPerDay;
        if (!segments.TryGetValue((site, day), out var append))
        {
            append = new LaneSegmentAppend(SegmentKey.Of(_strings.Text(site), new DateTime(ticks, DateTimeKind.Utc)).ToString());
            segments[(site, day)] = append;
        }

        return append;
    }

    /// <summary>Earlier than the session's start, but close enough to be part of it: delivered out of order.</summary>
    private static bool ArrivedOutOfOrder(in LaneSlot slot, TrackedEvent e) =>
        slot.StartTicks - e.Timestamp.Ticks <= Sessionizer.SessionTimeout.Ticks && e.Timestamp.Ticks / TimeSpan.TicksPerDay == slot.StartTicks / TimeSpan.TicksPerDay;

    private bool Continues(in LaneSlot slot, TrackedEvent e)
    {
        var ticks = e.Timestamp.Ticks;
        // The segment's own bound (its day's end plus the cutoff); the site does not enter it.
        var latest = new SegmentKey(string.Empty, DateOnly.FromDateTime(new DateTime(slot.StartTicks, DateTimeKind.Utc))).LatestEventUtc.Ticks;
        return ticks - slot.EndTicks <= Sessionizer.SessionTimeout.Ticks
            && ticks < latest
            && (e.SessionId is null || slot.SenderSessionId == 0 || string.Equals(_strings.Value(slot.SenderSessionId), e.SessionId, StringComparison.Ordinal));
    }

    private void Open(ref LaneSlot s, TrackedEvent e, ulong visitor)
    {
        var ticks = e.Timestamp.Ticks;
        var page = _strings.Code(e.Pathname);
        s.HasSession = true;
        s.SessionId = Sessionizer.SessionIdOf(visitor, e.Id);
        s.StartTicks = ticks;
        s.EndTicks = ticks;
        s.Version = 1;
        s.Pageviews = e.IsPageview ? 1 : 0;
        s.Events = 1;
        s.Interacted = e.Interactive && !e.IsPageview;
        s.SenderSessionId = _strings.Code(e.SessionId);
        s.EntryPage = page;
        s.ExitPage = page;
        s.Attributes = _attributes.Code(new LaneAttributes(
            Hostname: _strings.Code(e.Hostname),
            Source: _strings.Code(e.Source),
            Referrer: _strings.Code(e.Referrer),
            Channel: _strings.Code(ChannelClassifier.Classify(e.Source, e.UtmSource, e.UtmMedium, e.UtmCampaign)),
            UtmSource: _strings.Code(e.UtmSource),
            UtmMedium: _strings.Code(e.UtmMedium),
            UtmCampaign: _strings.Code(e.UtmCampaign),
            UtmContent: _strings.Code(e.UtmContent),
            UtmTerm: _strings.Code(e.UtmTerm),
            Device: _strings.Code(e.Device),
            Browser: _strings.Code(e.Browser),
            BrowserVersion: _strings.Code(e.BrowserVersion),
            Os: _strings.Code(e.Os),
            OsVersion: _strings.Code(e.OsVersion),
            Country: _strings.Code(e.Country),
            Region: _strings.Code(e.Region),
            City: _strings.Code(e.City),
            Screen: _strings.Code(e.ScreenSize)));
    }

    private void Extend(ref LaneSlot s, TrackedEvent e)
    {
        var ticks = e.Timestamp.Ticks;
        var latest = ticks >= s.EndTicks;
        if (!e.IsEngagement)
        {
            // A session opened by a sender without session ids takes the first one it is given.
            if (s.SenderSessionId == 0)
            {
                s.SenderSessionId = _strings.Code(e.SessionId);
            }

            s.Interacted |= e.Interactive && !e.IsPageview;
            s.Events++;
        }

        if (ticks < s.StartTicks)
        {
            s.StartTicks = ticks;
            if (e.IsPageview)
            {
                s.EntryPage = _strings.Code(e.Pathname);
            }
        }

        if (latest)
        {
            s.EndTicks = ticks;
            if (e.IsPageview)
            {
                s.ExitPage = _strings.Code(e.Pathname);
            }
        }

        s.Pageviews += e.IsPageview ? 1 : 0;
        s.Version++;
    }

    private SessionRow Snapshot(in LaneSlot s)
    {
        ref readonly var a = ref _attributes[s.Attributes];
        return new()
        {
            SessionId = s.SessionId,
            Visitor = s.Visitor,
            Start = new DateTime(s.StartTicks, DateTimeKind.Utc),
            End = new DateTime(s.EndTicks, DateTimeKind.Utc),
            Version = s.Version,
            EntryPage = _strings.Text(s.EntryPage),
            ExitPage = _strings.Text(s.ExitPage),
            Hostname = _strings.Text(a.Hostname),
            Pageviews = s.Pageviews,
            Events = s.Events,
            Bounce = s.Pageviews <= 1 && !s.Interacted,
            Source = _strings.Text(a.Source),
            Referrer = _strings.Value(a.Referrer),
            Channel = _strings.Text(a.Channel),
            UtmSource = _strings.Value(a.UtmSource),
            UtmMedium = _strings.Value(a.UtmMedium),
            UtmCampaign = _strings.Value(a.UtmCampaign),
            UtmContent = _strings.Value(a.UtmContent),
            UtmTerm = _strings.Value(a.UtmTerm),
            Device = _strings.Text(a.Device),
            Browser = _strings.Text(a.Browser),
            BrowserVersion = _strings.Text(a.BrowserVersion),
            Os = _strings.Text(a.Os),
            OsVersion = _strings.Text(a.OsVersion),
            Country = _strings.Text(a.Country),
            Region = _strings.Value(a.Region),
            City = _strings.Value(a.City),
            Screen = _strings.Value(a.Screen),
        };
    }

    private EventRow EventRowOf(TrackedEvent e, ulong visitor, ulong session) => new()
    {
        Timestamp = e.Timestamp,
        Name = _strings.Intern(e.Name),
        Pathname = _strings.Intern(e.Pathname),
        Hostname = _strings.Intern(e.Hostname),
        Visitor = visitor,
        Session = session,
        Interactive = e.Interactive,
        EngagementMs = e.EngagementMs,
        ScrollDepth = e.ScrollDepth,
        Props = e.Props,
        RevenueAmount = e.RevenueAmount,
        RevenueCurrency = e.RevenueCurrency,
    };

    /// <summary>The visitor's slot; a new, empty one when it has none or its last event is past retention.</summary>
    private int Find(ulong visitor, string site, Dictionary<(int, long), LaneSegmentAppend> segments)
    {
        var batch = 0;
        if (_index.TryGetValue(visitor, out var at))
        {
            ref var slot = ref _slots[at];
            if (!Expired(slot))
            {
                return at;
            }

            // A batch spanning more than the retention may reach it again after it was touched: its snapshot goes first.
            if (slot.HasSession && slot.Batch == _batch && slot.SessionTouched)
            {
                EmitSession(slot, segments);
            }

            batch = slot.Batch;
        }
        else
        {
            at = Allocate(visitor);
        }

        _slots[at] = new LaneSlot { Visitor = visitor, Site = _strings.Code(site), LastTicks = long.MinValue, Batch = batch };
        return at;
    }

    private int Allocate(ulong visitor)
    {
        if (!_free.TryPop(out var at))
        {
            at = _used++;
            _slots.EnsureCapacity(at);
        }

        _index[visitor] = at;
        return at;
    }

    private void NoteStretch(long offset, long ticks)
    {
        var length = Math.Max(1, _retainedOffsets / 4);
        if (_stretches.Count == 0 || offset >= _stretches[^1].Start + length)
        {
            _stretches.Add((offset, ticks));
            // A stretch is over once the next one starts; it is forgotten when that start is past the retained offsets.
            while (_stretches.Count > 1 && _stretches[1].Start < offset - _retainedOffsets)
            {
                _stretches.RemoveAt(0);
            }
        }
        else if (ticks < _stretches[^1].MinTicks)
        {
            _stretches[^1] = (_stretches[^1].Start, ticks);
        }
    }

    private bool Expired(in LaneSlot slot) => slot.LastTicks < _watermark - Retention.Ticks && slot.LastOffset < Offset - _retainedOffsets;

    private static bool Remembers(in LaneSlot slot, ulong id)
    {
        for (var i = 0; i < LaneSlot.RememberedEvents; i++)
        {
            if (slot.Recent[i] == id)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Never 0 (an empty place in the ring).</summary>
    private static ulong IdHash(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        return Math.Max(1, XxHash64.HashToUInt64(bytes));
    }

    /// <summary>Frees the slots of visitors past retention, and rebuilds the strings when most belong to no one any more.</summary>
    private void Sweep()
    {
        _nextSweep = _watermark + SweepEvery;
        _sinceSweep = 0;
        List<ulong>? expired = null;
        foreach (var (visitor, at) in _index)
        {
            if (Expired(_slots[at]))
            {
                (expired ??= []).Add(visitor);
            }
        }

        foreach (var visitor in expired ?? [])
        {
            _index.Remove(visitor, out var at);
            _slots[at] = default;
            _free.Push(at);
        }

        if (_strings.Count > (2 * _stringsAfterCompaction) + 10_000 || _attributes.Count > (2 * _attributesAfterCompaction) + 10_000)
        {
            CompactStrings();
        }
    }

    private void CompactStrings()
    {
        var strings = new LaneStrings();
        var attributes = new LaneAttributeSets();
        Span<int> codes = stackalloc int[LaneSessionCodec.StringCount];
        foreach (var at in _index.Values)
        {
            ref var slot = ref _slots[at];
            LaneSessionCodec.Codes(slot, _attributes, codes);
            for (var i = 0; i < codes.Length; i++)
            {
                codes[i] = strings.Code(_strings.Value(codes[i]));
            }

            LaneSessionCodec.SetCodes(ref slot, attributes, codes);
        }

        _strings = strings;
        _stringsAfterCompaction = strings.Count;
        _attributes = attributes;
        _attributesAfterCompaction = attributes.Count;
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Grains.Segments;

/// <summary>
/// One query over one segment: selects the matching events M (in range, not engagement, passing the filter) and the
/// engagement events E, derives the sessions S (started in range, with an event in M), and aggregates them per group.
/// A group key is a mixed-radix number of the dimensions' dictionary codes plus the time bucket, so the row loops only
/// compare integers; strings appear once per group, when the partial is handed out. Groups get dense ids (through an
/// array indexed by the key when the key space is small, a hash map otherwise) and their counters live in one flat
/// array, <see cref="GroupTable.Fields"/> per group. The scratch arrays (rows, keys, codes, the visitor pairs, the
/// counters) come from the shared pool: allocated per scan, they were most of a big segment's scan time (fresh pages,
/// zeroing and the full collections the large-object heap triggers).
/// </summary>
internal sealed class SegmentScanner(Segment segment, StatsQuery query, GoalMatcher? matcher = null)
{
    /// <summary>Key spaces up to this size, or up to the number of rows, map to group ids by a plain array instead of a hash map.</summary>
    private const int SmallKeySpace = 1 << 12;

    private const int Fields = GroupTable.Fields;

    private readonly GroupIdMap _ids = new();
    /// <summary>Per group id its key (pooled, as the counters: a list grew through a dozen arrays for a long tail).</summary>
    private long[] _keys = [];
    private int _groups;
    private readonly VisitorsByGroup _visitors = new();
    private readonly VisitorsByGroup _totalVisitors = new();
    private ulong[] _visitorHashes = [];
    private long[] _counters = [];
    private int[]? _direct;
    private QueryShape _shape = null!;
    private SegmentDimension[] _dimensions = [];
    private TimeBuckets? _buckets;
    private long _timeRadix = 1;
    private RevenueConversion? _revenue;

    /// <summary>Whether the visits are counted already (<see cref="AggregateSessionRuns"/>).</summary>
    private bool _visitsCounted;

    public SegmentPartial Run()
    {
        _shape = QueryShape.Of(query);
        _dimensions = [.. _shape.Grouping.Select(d => SegmentDimension.Of(segment, d))];
        foreach (var dimension in _dimensions)
        {
            _timeRadix = checked(_timeRadix * dimension.Radix);
        }

        if (_shape.Time is { } granularity)
        {
            _buckets = new TimeBuckets(granularity, TimeZones.Find(query.Timezone), query.FromUtc, segment.Key.StartUtc);
        }

        var rows = ArrayPool<int>.Shared.Rent(Math.Max(1, segment.Events.Count));
        _counters = ArrayPool<long>.Shared.Rent(64 * Fields);
        Array.Clear(_counters);
        try
        {
            var (matchedCount, engagedCount) = Select(rows);
            var matched = rows.AsSpan(0, matchedCount);
            var engaged = rows.AsSpan(matchedCount, engagedCount);
            // An array as large as the rows costs no more than the rows' own scratch; a larger one would cost more than the scan.
            if (_buckets is null && _timeRadix <= Math.Max(SmallKeySpace, matchedCount + engagedCount))
            {
                // Group id + 1 per key, 0 for none yet.
                _direct = ArrayPool<int>.Shared.Rent((int)_timeRadix);
                Array.Clear(_direct, 0, (int)_timeRadix);
            }

            if (_shape.NeedsVisitors)
            {
                _visitors.Reserve(matchedCount);
            }

            AggregateEvents(matched);
            if (_shape.NeedsEngagement)
            {
                AggregateEngagement(engaged);
            }

            // The session-run path counts them with the events.
            if (_shape.NeedsSessions && !_visitsCounted)
            {
                AggregateSessions(matched);
            }

            return new SegmentPartial(Partial(), _totalVisitors.ByGroup(1, _visitorHashes)[0], _revenue?.Unconverted);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rows);
            ArrayPool<long>.Shared.Return(_counters);
            _counters = [];
            if (_direct is { } direct)
            {
                ArrayPool<int>.Shared.Return(direct);
            }

            _visitors.Dispose();
            _totalVisitors.Dispose();
            _ids.Dispose();
            ReturnKeys();
        }
    }

    /// <summary>M (in range, not engagement unless completing a scroll goal, passing the filter) and E, as event rows in segment order.</summary>
    internal (int[] Matched, int[] Engaged) Select()
    {
        var rows = new int[segment.Events.Count];
        var (matched, engaged) = Select(rows);
        return (rows[..matched], rows[matched..(matched + engaged)]);
    }

    /// <summary>Writes M then E into <paramref name="rows"/>, each in segment order, and returns their lengths.</summary>
    private (int Matched, int Engaged) Select(int[] rows)
    {
        var events = segment.Events;
        var from = ArrowColumns.ToMicros(query.FromUtc);
        var to = ArrowColumns.ToMicros(query.ToUtc);
        // A range holding the whole segment (most days of a longer range) needs no time test and no time column.
        var whole = events.AllWithin(from, to);
        var timestamps = whole ? default : events.Timestamps;
        var names = events.Name.Codes;
        var engagement = events.Name.CodeOf(EventNames.Engagement);
        var count = events.Count;
        var goals = matcher ?? GoalBreakdown.Matcher(segment, query);
        // A scroll goal is completed by an engagement event: in a goal question those count like custom events.
        var scrolled = goals is { HasScrollGoals: true } ? goals.Any(GoalBreakdown.AskedScrollGoals(query)) : null;
        // Pooled, as the evaluator's masks (they go back once the selection is made); made only for has_done.
        bool[]? countable = null;
        bool[] Countable()
        {
            if (countable is null)
            {
                countable = ArrayPool<bool>.Shared.Rent(Math.Max(1, count));
                var times = whole ? default : events.Timestamps;
                var codes = events.Name.Codes;
                for (var i = 0; i < count; i++)
                {
                    countable[i] = (whole || (times[i] >= from && times[i] < to)) && (codes[i] != engagement || scrolled?[i] == true);
                }
            }

            return countable;
        }

        using var evaluator = query.Filter is null ? null : new FilterEvaluator(segment, Countable, goals);
        var pass = evaluator?.Evaluate(query.Filter!);

        // M from the front, E from the back (reversed afterwards), in one pass.
        var m = 0;
        var e = rows.Length;
        for (var i = 0; i < count; i++)
        {
            if (!whole)
            {
                var t = timestamps[i];
                if (t < from || t >= to)
                {
                    continue;
                }
            }

            if (pass is not null && !pass[i])
            {
                continue;
            }

            if (names[i] != engagement || scrolled?[i] == true)
            {
                rows[m++] = i;
            }
            else
            {
                rows[--e] = i;
            }
        }

        if (countable is not null)
        {
            ArrayPool<bool>.Shared.Return(countable);
        }

        var engaged = rows.Length - e;
        rows.AsSpan(e, engaged).Reverse();
        rows.AsSpan(e, engaged).CopyTo(rows.AsSpan(m));
        return (m, engaged);
    }

    /// <summary>
    /// M per group, a column at a time: group ids, then counters, then (group, visitor) pairs, each loop without a branch
    /// that depends on the data (a row-at-a-time loop mispredicted on each change of page or event name).
    /// </summary>
    private void AggregateEvents(ReadOnlySpan<int> rows)
    {
        var conversion = _revenue = RevenueConversion.For(segment, query);
        if (conversion is null && _buckets is null && !_shape.HasEventDimension && segment.EventsGroupedBySession && segment.OneVisitorPerSession)
        {
            AggregateSessionRuns(rows);
            return;
        }

        var events = segment.Events;
        var keys = EventKeys(rows, sessionTime: false);
        var groups = ArrayPool<int>.Shared.Rent(Math.Max(1, rows.Length));
        try
        {
            GroupIds(keys.AsSpan(0, rows.Length), groups);
            ArrayPool<long>.Shared.Return(keys);
            var ids = groups.AsSpan(0, rows.Length);
            Count(rows, ids, events.Name.Codes, events.Name.CodeOf(EventNames.Pageview), _counters);
            AddVisitors(rows, ids);

            if (conversion is not null)
            {
                var revenue = events.Revenue;
                for (var k = 0; k < rows.Length; k++)
                {
                    var i = rows[k];
                    if (revenue.GetValue(i) is { } amount && conversion.Convert(i, amount) is { } micros)
                    {
                        var c = ids[k] * Fields;
                        _counters[c + GroupTable.RevenueMicros] += micros;
                        _counters[c + GroupTable.RevenueEvents]++;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(groups);
        }
    }

    /// <summary>
    /// M per group when every dimension is a visit's and there is no time bucket: an event's group is its session's and a
    /// session's rows are adjacent, so a key, a group and a visitor pair per run of a session's rows instead of per row
    /// (the visit breakdowns of a busy day: a key per row, through two gathers per dimension, was a quarter of a scan).
    /// An event without a session is a run of its own (its visitor is its own). A session is one run, so its visit is
    /// counted here too, in the same pass (the same speed as a second pass over the kept runs, with less to keep).
    /// </summary>
    private void AggregateSessionRuns(ReadOnlySpan<int> rows)
    {
        var sessionOf = segment.SessionOfEvent;
        var size = rows.Length + 1;
        var last = ArrayPool<int>.Shared.Rent(size);
        var ends = ArrayPool<int>.Shared.Rent(size);
        var viewed = ArrayPool<int>.Shared.Rent(size);
        var groups = ArrayPool<int>.Shared.Rent(size);
        try
        {
            var names = segment.Events.Name;
            var runs = Runs(rows, sessionOf, names.Codes, names.CodeOf(EventNames.Pageview), last, ends, viewed);
            var runRows = last.AsSpan(0, runs);
            var keys = EventKeys(runRows, sessionTime: false);
            var ids = groups.AsSpan(0, runs);
            GroupIds(keys.AsSpan(0, runs), ids);
            ArrayPool<long>.Shared.Return(keys);
            // Only the counters the partial holds: the others would be dropped (a breakdown by visitors and visits holds two).
            var held = _shape.Counters;
            var countEvents = (held & (1 << GroupTable.Events)) != 0;
            var countPageviews = (held & (1 << GroupTable.Pageviews)) != 0;
            var sessions = new SessionColumns(segment.Sessions, query, held);
            var visits = _shape.NeedsSessions;
            var counters = _counters;
            for (var r = 0; r < runs; r++)
            {
                var c = ids[r] * Fields;
                if (countEvents)
                {
                    counters[c + GroupTable.Events] += ends[r + 1] - ends[r];
                }

                if (countPageviews)
                {
                    counters[c + GroupTable.Pageviews] += viewed[r + 1] - viewed[r];
                }

                var s = sessionOf[runRows[r]];
                if (visits && sessions.Counts(s))
                {
                    sessions.AddTo(counters, ids[r], s);
                }
            }

            AddVisitors(runRows, ids);
            _visitsCounted = visits;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(last);
            ArrayPool<int>.Shared.Return(ends);
            ArrayPool<int>.Shared.Return(viewed);
            ArrayPool<int>.Shared.Return(groups);
        }
    }

    /// <summary>
    /// The runs of a session's rows in <paramref name="rows"/>, without a branch on the data (a new run every three rows,
    /// a misprediction each, made this loop three times slower): every row writes its run's last row, where the run
    /// ends and the pageviews so far, so what the run's last row wrote stays. Run r is rows [ends[r], ends[r + 1]) with
    /// viewed[r + 1] - viewed[r] pageviews; any of its rows stands for it. A row without a session (-1) gets a run id of
    /// its own, ~(k + 1), never -1. A loop of its own, on spans: inside the scan's method its locals lived on the stack.
    /// </summary>
    /// <returns>The number of runs.</returns>
    private static int Runs(ReadOnlySpan<int> rows, ReadOnlySpan<int> sessionOf, ReadOnlySpan<int> names, int pageview, Span<int> last, Span<int> ends, Span<int> viewed)
    {
        // Each has room for a run per row and one more, so run ids up to rows.Length index them.
        if (last.Length <= rows.Length || ends.Length <= rows.Length || viewed.Length <= rows.Length)
        {
            throw new ArgumentException("Room for a run per row and one more is needed.");
        }

        ref var lastRow = ref MemoryMarshal.GetReference(last);
        ref var end = ref MemoryMarshal.GetReference(ends);
        ref var seenSoFar = ref MemoryMarshal.GetReference(viewed);
        var runs = 0;
        var previous = -1;
        var seen = 0;
        end = 0;
        seenSoFar = 0;
        for (var k = 0; k < rows.Length; k++)
        {
            var i = rows[k];
            var s = sessionOf[i];
            var run = s ^ ((s >> 31) & (k + 1));
            runs += run != previous ? 1 : 0;
            seen += names[i] == pageview ? 1 : 0;
            Unsafe.Add(ref lastRow, runs - 1) = i;
            Unsafe.Add(ref end, runs) = k + 1;
            Unsafe.Add(ref seenSoFar, runs) = seen;
            previous = run;
        }

        return runs;
    }

    /// <summary>The (group, visitor) pairs of event rows whose groups are <paramref name="ids"/>, and the totals' visitors.</summary>
    private void AddVisitors(ReadOnlySpan<int> rows, ReadOnlySpan<int> ids)
    {
        var (visitors, hashes) = _shape.NeedsVisitors || _shape.NeedsTotals ? segment.VisitorIds : ([], []);
        _visitorHashes = hashes;
        if (_shape.NeedsVisitors)
        {
            _visitors.AddRuns(rows, ids, visitors);
        }

        if (_shape.NeedsTotals)
        {
            _totalVisitors.AddRuns(rows, default, visitors);
        }
    }

    /// <summary>Events and pageviews per group.</summary>
    private static void Count(ReadOnlySpan<int> rows, ReadOnlySpan<int> ids, ReadOnlySpan<int> names, int pageview, long[] counters)
    {
        for (var k = 0; k < rows.Length; k++)
        {
            var c = ids[k] * Fields;
            counters[c + GroupTable.Events]++;
            counters[c + GroupTable.Pageviews] += names[rows[k]] == pageview ? 1 : 0;
        }
    }

    /// <summary>The group id of each key (<see cref="Group"/>).</summary>
    private void GroupIds(ReadOnlySpan<long> keys, Span<int> ids)
    {
        for (var k = 0; k < keys.Length; k++)
        {
            ids[k] = Group(keys[k]);
        }
    }

    /// <summary>
    /// E per group, as Plausible counts engagement: time_on_page is the engaged time over the visits with engagement
    /// events, scroll_depth the mean over visits of each visit's deepest scroll (0–100). Per (group, visit): one visit
    /// counts once in each group it engaged in. An engagement event without a session counts nowhere (Plausible drops
    /// those at ingestion).
    /// </summary>
    private void AggregateEngagement(ReadOnlySpan<int> rows)
    {
        var events = segment.Events;
        var keys = EventKeys(rows, sessionTime: false);
        var sessionOf = segment.SessionOfEvent;
        var engagement = events.EngagementMs;
        var scroll = events.ScrollDepth;
        // Deepest scroll per (group, visit); -1 while the visit reported none.
        var deepest = new Dictionary<(int Group, int Session), int>();
        for (var k = 0; k < rows.Length; k++)
        {
            var i = rows[k];
            var s = sessionOf[i];
            if (s < 0)
            {
                continue;
            }

            var groupId = Group(keys[k]);
            _counters[(groupId * Fields) + GroupTable.EngagementMs] += engagement[i];
            var depth = scroll.GetValue(i) is { } d && d is >= 0 and <= 100 ? d : -1;
            deepest[(groupId, s)] = deepest.TryGetValue((groupId, s), out var seen) ? Math.Max(seen, depth) : depth;
        }

        ArrayPool<long>.Shared.Return(keys);
        foreach (var ((groupId, _), depth) in deepest)
        {
            var c = groupId * Fields;
            _counters[c + GroupTable.EngagedVisits]++;
            if (depth >= 0)
            {
                _counters[c + GroupTable.ScrollDepthSum] += depth;
                _counters[c + GroupTable.ScrollDepthVisits]++;
            }
        }
    }

    /// <summary>
    /// S: sessions that started in range with an event in M. With an event dimension a session counts once in each
    /// group one of its M events falls in; otherwise once, by its own values and start.
    /// </summary>
    private void AggregateSessions(ReadOnlySpan<int> matched)
    {
        var sessions = segment.Sessions;
        var sessionOf = segment.SessionOfEvent;
        var columns = new SessionColumns(sessions, query);
        if (_shape.HasEventDimension)
        {
            var keys = EventKeys(matched, sessionTime: true);
            // Adjacent rows of a session: the groups it already counted in are a short list, reset at each new session.
            var grouped = segment.EventsGroupedBySession;
            var seen = new HashSet<(long, int)>();
            var current = -1;
            var counted = new List<long>();
            for (var k = 0; k < matched.Length; k++)
            {
                var s = sessionOf[matched[k]];
                if (!columns.Counts(s))
                {
                    continue;
                }

                if (grouped)
                {
                    if (s != current)
                    {
                        current = s;
                        counted.Clear();
                    }

                    if (counted.Contains(keys[k]))
                    {
                        continue;
                    }

                    counted.Add(keys[k]);
                }
                else if (!seen.Add((keys[k], s)))
                {
                    continue;
                }

                var group = Group(keys[k]); // before reading _counters: a new group may grow it
                columns.AddTo(_counters, group, s);
            }

            ArrayPool<long>.Shared.Return(keys);
            return;
        }

        var inS = ArrayPool<bool>.Shared.Rent(Math.Max(1, sessions.Count));
        Array.Clear(inS, 0, sessions.Count);
        foreach (var i in matched)
        {
            var s = sessionOf[i];
            if (columns.Counts(s))
            {
                inS[s] = true;
            }
        }

        var rented = ArrayPool<int>.Shared.Rent(Math.Max(1, sessions.Count));
        var count = 0;
        for (var s = 0; s < sessions.Count; s++)
        {
            if (inS[s])
            {
                rented[count++] = s;
            }
        }

        ArrayPool<bool>.Shared.Return(inS);
        var sessionRows = rented.AsSpan(0, count);
        var sessionKeys = SessionKeys(sessionRows);
        for (var k = 0; k < sessionRows.Length; k++)
        {
            var group = Group(sessionKeys[k]); // as above
            columns.AddTo(_counters, group, sessionRows[k]);
        }

        ArrayPool<long>.Shared.Return(sessionKeys);
        ArrayPool<int>.Shared.Return(rented);
    }

    /// <summary>
    /// Group keys of event rows (a pooled array, at least as long as <paramref name="rows"/>: the caller returns it); the
    /// time bucket is the event's, or its session's start with <paramref name="sessionTime"/>.
    /// </summary>
    private long[] EventKeys(ReadOnlySpan<int> rows, bool sessionTime)
    {
        var keys = DimensionKeys(rows, sessionRows: false);
        if (_buckets is { } buckets)
        {
            var timestamps = segment.Events.Timestamps;
            var sessionOf = segment.SessionOfEvent;
            var start = segment.Sessions.Start;
            for (var k = 0; k < rows.Length; k++)
            {
                var i = rows[k];
                var s = sessionOf[i];
                var t = !sessionTime ? timestamps[i] : s >= 0 ? start[s] : timestamps[i];
                keys[k] += checked(buckets[t] * _timeRadix);
            }
        }

        return keys;
    }

    /// <summary>Group keys of session rows (a pooled array, as <see cref="EventKeys"/>).</summary>
    private long[] SessionKeys(ReadOnlySpan<int> rows)
    {
        var keys = DimensionKeys(rows, sessionRows: true);
        if (_buckets is { } buckets)
        {
            var start = segment.Sessions.Start;
            for (var k = 0; k < rows.Length; k++)
            {
                keys[k] += checked(buckets[start[rows[k]]] * _timeRadix);
            }
        }

        return keys;
    }

    /// <summary>The dimensions' part of the group keys of event or session rows, in a pooled array (time bucket not yet added).</summary>
    private long[] DimensionKeys(ReadOnlySpan<int> rows, bool sessionRows)
    {
        var keys = ArrayPool<long>.Shared.Rent(Math.Max(1, rows.Length));
        Array.Clear(keys, 0, rows.Length);
        var codes = ArrayPool<int>.Shared.Rent(Math.Max(1, rows.Length));
        foreach (var dimension in _dimensions)
        {
            if (sessionRows)
            {
                dimension.SessionCodes(rows, codes);
            }
            else
            {
                dimension.EventCodes(rows, codes);
            }

            var radix = dimension.Radix;
            for (var k = 0; k < rows.Length; k++)
            {
                keys[k] = (keys[k] * radix) + codes[k];
            }
        }

        ArrayPool<int>.Shared.Return(codes);
        return keys;
    }

    /// <summary>A known key of a small key space is one array read, inlined into the row loops; the rest is <see cref="AddOrFind"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Group(long key) => _direct is { } direct && direct[key] is var known && known > 0 ? known - 1 : AddOrFind(key);

    private int AddOrFind(long key)
    {
        if (_direct is { } direct)
        {
            var added = NewGroup(key);
            direct[key] = added + 1;
            return added;
        }

        var id = _ids.Find(key, out var slot);
        if (id < 0)
        {
            id = NewGroup(key);
            _ids.Add(key, id, slot);
        }

        return id;
    }

    private int NewGroup(long key)
    {
        var id = _groups++;
        if (id == _keys.Length)
        {
            var keys = ArrayPool<long>.Shared.Rent(Math.Max(64, id * 2));
            _keys.CopyTo(keys, 0);
            ReturnKeys();
            _keys = keys;
        }

        _keys[id] = key;
        if ((id + 1) * Fields > _counters.Length)
        {
            var larger = ArrayPool<long>.Shared.Rent(_counters.Length * 2);
            _counters.CopyTo(larger, 0);
            Array.Clear(larger, _counters.Length, larger.Length - _counters.Length);
            ArrayPool<long>.Shared.Return(_counters);
            _counters = larger;
        }

        return id;
    }

    private void ReturnKeys()
    {
        if (_keys.Length > 0)
        {
            ArrayPool<long>.Shared.Return(_keys);
            _keys = [];
        }
    }

    private GroupTable Partial()
    {
        var count = _groups;
        // Only what the query's metrics read: a long tail's partial is mostly counters.
        var table = new GroupTable(count, _shape.Counters);
        var width = _dimensions.Length;
        // Per dimension, segment code → the table's value id, looked up once per code a group uses (-1: not yet).
        var valueIds = new int[width][];
        for (var d = 0; d < width; d++)
        {
            valueIds[d] = new int[_dimensions[d].Radix];
            Array.Fill(valueIds[d], -1);
        }

        // A missing visit value and an empty one share the label "" (absent reads as ""): one group, found by key.
        var sharedLabels = _dimensions.Any(d => Array.IndexOf(d.Values, d.NullLabel) >= 0);
        // Then two of the scan's groups may be one of the table's, and their visitor sets are unioned as objects.
        var visitors = sharedLabels ? _visitors.ByGroup(count, _visitorHashes) : null;
        Span<int> ids = stackalloc int[width];
        for (var g = 0; g < count; g++)
        {
            var key = _keys[g];
            var rest = key % _timeRadix;
            var time = _buckets?.KeyOf((int)(key / _timeRadix)) ?? 0;
            for (var d = width - 1; d >= 0; d--)
            {
                var radix = _dimensions[d].Radix;
                var code = (int)(rest % radix);
                rest /= radix;
                ref var id = ref valueIds[d][code];
                if (id < 0)
                {
                    // A dimension's codes have distinct labels unless a missing value shares one: only then look it up.
                    id = sharedLabels ? table.ValueId(width, d, _dimensions[d].Label(code)) : table.NewValueId(width, d, _dimensions[d].Label(code));
                }

                ids[d] = id;
            }

            var group = sharedLabels ? table.GroupOf(time, ids) : table.Append(time, ids);
            table.AddHeld(group, _counters.AsSpan(g * Fields, Fields), visitors?[g]);
        }

        if (visitors is null && _visitors.Count > 0)
        {
            table.SetVisitors(_visitors.Sets(count, _visitorHashes));
        }

        table.DropLookups();
        return table;
    }

    /// <summary>
    /// The session columns a visit adds to its group's counters, as spans taken once per scan: through Arrow's accessors
    /// (a memory manager and a bitmap lookup per value) they were a tenth of a cold answer. S counts the sessions that
    /// started in the query's range.
    /// </summary>
    private readonly ref struct SessionColumns(SessionTable sessions, StatsQuery query, int held = GroupTable.AllFields)
    {
        private readonly long _from = ArrowColumns.ToMicros(query.FromUtc);
        private readonly long _to = ArrowColumns.ToMicros(query.ToUtc);
        private readonly ReadOnlySpan<long> _start = sessions.Start;
        private readonly ReadOnlySpan<long> _end = sessions.End;
        private readonly ReadOnlySpan<int> _pageviews = sessions.Pageviews;
        private readonly ReadOnlySpan<byte> _bounce = sessions.BounceBits;
        private readonly bool _bounces = (held & (1 << GroupTable.Bounces)) != 0;
        private readonly bool _durations = (held & (1 << GroupTable.DurationMicros)) != 0;
        private readonly bool _pageviewsHeld = (held & (1 << GroupTable.SessionPageviews)) != 0;

        /// <summary>Whether session row <paramref name="s"/> (-1: an event without one) is a visit of S.</summary>
        public bool Counts(int s) => s >= 0 && _start[s] >= _from && _start[s] < _to;

        public void AddTo(long[] counters, int group, int s)
        {
            var c = group * Fields;
            counters[c + GroupTable.Visits]++;
            // Only what the partial holds (all of it unless told): each one a read of another column.
            if (_bounces)
            {
                counters[c + GroupTable.Bounces] += (_bounce[s >> 3] >> (s & 7)) & 1;
            }

            if (_durations)
            {
                counters[c + GroupTable.DurationMicros] += _end[s] - _start[s];
            }

            if (_pageviewsHeld)
            {
                counters[c + GroupTable.SessionPageviews] += _pageviews[s];
            }
        }
    }
}

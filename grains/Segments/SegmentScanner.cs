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
/// array, <see cref="GroupTable.Fields"/> per group.
/// </summary>
internal sealed class SegmentScanner(Segment segment, StatsQuery query, GoalMatcher? matcher = null)
{
    /// <summary>Largest key space mapped to group ids by a plain array (16 MB of ints) instead of a hash map.</summary>
    private const long DirectKeySpace = 1 << 22;

    private const int Fields = GroupTable.Fields;

    private readonly Dictionary<long, int> _ids = [];
    private readonly List<long> _keys = [];
    private readonly DistinctPairs _visitors = new();
    private readonly DistinctPairs _totalVisitors = new();
    private long[] _counters = new long[64 * Fields];
    private int[]? _direct;
    private QueryShape _shape = null!;
    private SegmentDimension[] _dimensions = [];
    private TimeBuckets? _buckets;
    private long _timeRadix = 1;
    private RevenueConversion? _revenue;

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

        if (_buckets is null && _timeRadix <= DirectKeySpace)
        {
            // Group id + 1 per key, 0 for none yet.
            _direct = new int[_timeRadix];
        }

        var (matched, engaged) = Select();
        if (_shape.NeedsVisitors)
        {
            _visitors.Reserve(matched.Length);
        }

        AggregateEvents(matched);
        if (_shape.NeedsEngagement)
        {
            AggregateEngagement(engaged);
        }

        if (_shape.NeedsSessions)
        {
            AggregateSessions(matched);
        }

        return new SegmentPartial(Partial(), _totalVisitors.ByGroup(1)[0], _revenue?.Unconverted);
    }

    /// <summary>M (in range, not engagement unless completing a scroll goal, passing the filter) and E, as event rows in segment order.</summary>
    internal (int[] Matched, int[] Engaged) Select()
    {
        var events = segment.Events;
        var from = ArrowColumns.ToMicros(query.FromUtc);
        var to = ArrowColumns.ToMicros(query.ToUtc);
        var timestamps = events.Timestamps;
        var names = events.Name.Codes;
        var engagement = events.Name.CodeOf(EventNames.Engagement);
        var inRange = new bool[events.Count];
        var countable = new bool[events.Count];
        var goals = matcher ?? GoalBreakdown.Matcher(segment, query);
        // A scroll goal is completed by an engagement event: in a goal question those count like custom events.
        var scrolled = goals is { HasScrollGoals: true } ? goals.Any(GoalBreakdown.AskedScrollGoals(query)) : null;
        for (var i = 0; i < inRange.Length; i++)
        {
            var t = timestamps[i];
            inRange[i] = t >= from && t < to;
            countable[i] = inRange[i] && (names[i] != engagement || scrolled?[i] == true);
        }

        var pass = query.Filter is null ? null : new FilterEvaluator(segment, countable, goals).Evaluate(query.Filter);
        var matched = new List<int>();
        var engaged = new List<int>();
        for (var i = 0; i < inRange.Length; i++)
        {
            if (!inRange[i] || (pass is not null && !pass[i]))
            {
                continue;
            }

            (countable[i] ? matched : engaged).Add(i);
        }

        return ([.. matched], [.. engaged]);
    }

    private void AggregateEvents(int[] rows)
    {
        var events = segment.Events;
        var keys = EventKeys(rows, sessionTime: false);
        var visitors = events.Visitors;
        var names = events.Name.Codes;
        var pageview = events.Name.CodeOf(EventNames.Pageview);
        var conversion = _revenue = RevenueConversion.For(segment, query);
        var revenue = conversion is null ? null : events.Revenue;
        var needsVisitors = _shape.NeedsVisitors;
        var needsTotals = _shape.NeedsTotals;
        var counters = _counters;
        var c = 0;
        var groupId = -1;
        var groupKey = -1L;
        // Rows come session by session: a visitor repeated in the same group needs no second insert.
        var lastVisitor = 0UL;
        var lastVisitorGroup = -1;
        var lastTotalVisitor = 0UL;
        for (var k = 0; k < rows.Length; k++)
        {
            var i = rows[k];
            if (keys[k] != groupKey || groupId < 0)
            {
                groupKey = keys[k];
                groupId = Group(groupKey);
                counters = _counters;
                c = groupId * Fields;
            }

            counters[c + GroupTable.Events]++;
            if (names[i] == pageview)
            {
                counters[c + GroupTable.Pageviews]++;
            }

            var visitor = visitors[i];
            if (needsVisitors && (visitor != lastVisitor || groupId != lastVisitorGroup))
            {
                _visitors.Add(groupId, visitor);
                lastVisitor = visitor;
                lastVisitorGroup = groupId;
            }

            if (needsTotals && (visitor != lastTotalVisitor || k == 0))
            {
                _totalVisitors.Add(0, visitor);
                lastTotalVisitor = visitor;
            }

            if (revenue?.GetValue(i) is { } amount && conversion!.Convert(i, amount) is { } micros)
            {
                counters[c + GroupTable.RevenueMicros] += micros;
                counters[c + GroupTable.RevenueEvents]++;
            }
        }
    }

    /// <summary>
    /// E per group, as Plausible counts engagement: time_on_page is the engaged time over the visits with engagement
    /// events, scroll_depth the mean over visits of each visit's deepest scroll (0–100). Per (group, visit): one visit
    /// counts once in each group it engaged in. An engagement event without a session counts nowhere (Plausible drops
    /// those at ingestion).
    /// </summary>
    private void AggregateEngagement(int[] rows)
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
    private void AggregateSessions(int[] matched)
    {
        var sessions = segment.Sessions;
        var sessionOf = segment.SessionOfEvent;
        var start = sessions.Start;
        var from = ArrowColumns.ToMicros(query.FromUtc);
        var to = ArrowColumns.ToMicros(query.ToUtc);
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
                if (s < 0 || start[s] < from || start[s] >= to)
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

                AddSession(Group(keys[k]), s);
            }

            return;
        }

        var inS = new bool[sessions.Count];
        foreach (var i in matched)
        {
            var s = sessionOf[i];
            if (s >= 0 && start[s] >= from && start[s] < to)
            {
                inS[s] = true;
            }
        }

        var rows = new List<int>();
        for (var s = 0; s < inS.Length; s++)
        {
            if (inS[s])
            {
                rows.Add(s);
            }
        }

        var sessionRows = rows.ToArray();
        var sessionKeys = SessionKeys(sessionRows);
        for (var k = 0; k < sessionRows.Length; k++)
        {
            AddSession(Group(sessionKeys[k]), sessionRows[k]);
        }
    }

    private void AddSession(int group, int s)
    {
        var sessions = segment.Sessions;
        var c = group * Fields;
        _counters[c + GroupTable.Visits]++;
        _counters[c + GroupTable.Bounces] += sessions.Bounce.GetValue(s) == true ? 1 : 0;
        _counters[c + GroupTable.DurationMicros] += sessions.End[s] - sessions.Start[s];
        _counters[c + GroupTable.SessionPageviews] += sessions.Pageviews[s];
    }

    /// <summary>Group keys of event rows; the time bucket is the event's, or its session's start with <paramref name="sessionTime"/>.</summary>
    private long[] EventKeys(int[] rows, bool sessionTime)
    {
        var keys = new long[rows.Length];
        var codes = new int[rows.Length];
        foreach (var dimension in _dimensions)
        {
            dimension.EventCodes(rows, codes);
            var radix = dimension.Radix;
            for (var k = 0; k < keys.Length; k++)
            {
                keys[k] = (keys[k] * radix) + codes[k];
            }
        }

        if (_buckets is { } buckets)
        {
            var timestamps = segment.Events.Timestamps;
            var sessionOf = segment.SessionOfEvent;
            var start = segment.Sessions.Start;
            for (var k = 0; k < keys.Length; k++)
            {
                var i = rows[k];
                var s = sessionOf[i];
                var t = !sessionTime ? timestamps[i] : s >= 0 ? start[s] : timestamps[i];
                keys[k] += checked(buckets[t] * _timeRadix);
            }
        }

        return keys;
    }

    private long[] SessionKeys(int[] rows)
    {
        var keys = new long[rows.Length];
        var codes = new int[rows.Length];
        foreach (var dimension in _dimensions)
        {
            dimension.SessionCodes(rows, codes);
            var radix = dimension.Radix;
            for (var k = 0; k < keys.Length; k++)
            {
                keys[k] = (keys[k] * radix) + codes[k];
            }
        }

        if (_buckets is { } buckets)
        {
            var start = segment.Sessions.Start;
            for (var k = 0; k < keys.Length; k++)
            {
                keys[k] += checked(buckets[start[rows[k]]] * _timeRadix);
            }
        }

        return keys;
    }

    private int Group(long key)
    {
        if (_direct is { } direct)
        {
            var known = direct[key];
            if (known > 0)
            {
                return known - 1;
            }

            var added = NewGroup(key);
            direct[key] = added + 1;
            return added;
        }

        if (!_ids.TryGetValue(key, out var id))
        {
            id = NewGroup(key);
            _ids.Add(key, id);
        }

        return id;
    }

    private int NewGroup(long key)
    {
        var id = _keys.Count;
        _keys.Add(key);
        if ((id + 1) * Fields > _counters.Length)
        {
            Array.Resize(ref _counters, _counters.Length * 2);
        }

        return id;
    }

    private GroupTable Partial()
    {
        var count = _keys.Count;
        var visitors = _visitors.ByGroup(count);
        var table = new GroupTable(count);
        // A missing visit value and an empty one share the label "" (absent reads as ""): one group, found by key.
        var sharedLabels = _dimensions.Any(d => Array.IndexOf(d.Values, d.NullLabel) >= 0);
        for (var g = 0; g < count; g++)
        {
            var key = _keys[g];
            var rest = key % _timeRadix;
            var time = _buckets?.KeyOf((int)(key / _timeRadix)) ?? 0;
            var values = new string[_dimensions.Length];
            for (var d = _dimensions.Length - 1; d >= 0; d--)
            {
                var radix = _dimensions[d].Radix;
                values[d] = _dimensions[d].Label((int)(rest % radix));
                rest /= radix;
            }

            var groupKey = new GroupKey(time, values);
            var id = sharedLabels ? table.GroupOf(groupKey) : table.Append(groupKey);
            table.Add(id, _counters.AsSpan(g * Fields, Fields), visitors[g]);
        }

        return table;
    }
}

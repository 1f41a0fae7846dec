using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// A funnel over one segment. The steps are the query's goals in order; the events are the query's M (in range, passing
/// its filters; engagement events only where they complete a scroll step). Each visit's events are walked in time
/// order and advance the visit one step each time an event completes the next step, so the steps must happen in that
/// order within the visit (other events may come between). A visitor reaches a step when one of their visits does. A
/// segment holds whole visits, so this is local; partials union the visitors per step.
/// </summary>
internal static class FunnelScanner
{
    public static FunnelPartial Scan(Segment segment, StatsQuery query)
    {
        var steps = query.Goals.Count;
        var matcher = new GoalMatcher(segment, query.Goals);
        // Asked as a goal breakdown would be: every step's completions are events, scroll steps' engagement events too.
        var (matched, _) = new SegmentScanner(segment, query with { Dimensions = [Dimensions.Goal] }, matcher).Select();
        var completes = Enumerable.Range(0, steps).Select(matcher.Mask).ToArray();
        var events = segment.Events;
        // The ids themselves, not the session index: an event's session need not have its row here. Filled once: a
        // funnel is asked again and again, the index questions are not.
        var sessions = events.Sessions.ToArray();
        var (visitors, hashes) = segment.VisitorIds;
        if (!segment.EventsGroupedBySession)
        {
            var timestamps = events.Timestamps.ToArray();
            Array.Sort(matched, (a, b) => sessions[a] != sessions[b] ? sessions[a].CompareTo(sessions[b]) : timestamps[a].CompareTo(timestamps[b]));
        }

        // Group "steps" holds the visitors of the range; group s those who reached step s (0-based).
        using var reached = new VisitorsByGroup();
        var current = 0UL;
        var level = 0;
        foreach (var i in matched)
        {
            var visitor = visitors[i];
            reached.Add(steps, visitor);
            if (sessions[i] == 0)
            {
                continue;
            }

            if (sessions[i] != current)
            {
                current = sessions[i];
                level = 0;
            }

            if (level < steps && completes[level][i])
            {
                reached.Add(level, visitor);
                level++;
            }
        }

        var groups = reached.ByGroup(steps + 1, hashes);
        return new FunnelPartial(groups[..steps], groups[steps]);
    }
}

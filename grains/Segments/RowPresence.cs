using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// Whether a breakdown row exists: where a side the query's metrics read has data (SEMANTICS14: matching events M,
/// sessions S, engagement events E). A group made only by events of a visit that started before the range has no
/// visit in range, so a visits-only breakdown shows no row for it (it did, with 0 visits).
/// </summary>
internal static class RowPresence
{
    public static bool Shown(StatsQuery query, GroupTable groups, int group)
    {
        var visits = groups.Counter(group, GroupTable.Visits);
        var events = groups.Counter(group, GroupTable.Events);
        var engaged = groups.Counter(group, GroupTable.EngagedVisits) > 0;
        return query.Metrics.Any(metric => metric switch
        {
            MetricNames.Visits or MetricNames.BounceRate or MetricNames.VisitDuration or MetricNames.ViewsPerVisit or MetricNames.ExitRate => visits > 0,
            // A page read without engagement shows, at 0 (as before).
            MetricNames.TimeOnPage or MetricNames.ScrollDepth => engaged || events > 0,
            _ => events > 0,
        });
    }
}

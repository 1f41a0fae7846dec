using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// Whether a breakdown row exists: where a side the query's metrics read has data (SEMANTICS14: matching events M,
/// sessions S, engagement events E). A group made only by events of a visit that started before the range has no
/// visit in range, so a visits-only breakdown shows no row for it (it did, with 0 visits). The sides are read from
/// the metrics once per query: a long tail asks this of every one of its groups.
/// </summary>
internal sealed class RowPresence
{
    private readonly bool _visits;
    private readonly bool _events;
    private readonly bool _engaged;

    public RowPresence(StatsQuery query)
    {
        foreach (var metric in query.Metrics)
        {
            switch (metric)
            {
                case MetricNames.Visits or MetricNames.BounceRate or MetricNames.VisitDuration or MetricNames.ViewsPerVisit or MetricNames.ExitRate:
                    _visits = true;
                    break;
                // A page read without engagement shows, at 0 (as before).
                case MetricNames.TimeOnPage or MetricNames.ScrollDepth:
                    _engaged = _events = true;
                    break;
                default:
                    _events = true;
                    break;
            }
        }
    }

    public bool Shown(GroupTable groups, int group) =>
        (_visits && groups.Counter(group, GroupTable.Visits) > 0)
        || (_events && groups.Counter(group, GroupTable.Events) > 0)
        || (_engaged && groups.Counter(group, GroupTable.EngagedVisits) > 0);
}

namespace Analytics.Grains.Segments;

/// <summary>
/// Whether a breakdown row exists: where a side the query's metrics read has data (SEMANTICS14: matching events M,
/// sessions S, engagement events E). A group made only by events of a visit that started before the range has no
/// visit in range, so a visits-only breakdown shows no row for it (it did, with 0 visits). The sides are the counters
/// the metrics read (<see cref="QueryShape.Counters"/>: visits for a visit metric, events for any other, engaged visits
/// too for an engagement metric, where a page read without engagement shows, at 0), taken once per query: a long tail
/// asks this of every one of its groups.
/// </summary>
internal sealed class RowPresence(QueryShape shape)
{
    private readonly bool _visits = Reads(shape, GroupTable.Visits);
    private readonly bool _events = Reads(shape, GroupTable.Events);
    private readonly bool _engaged = Reads(shape, GroupTable.EngagedVisits);

    public bool Shown(GroupTable groups, int group) =>
        (_visits && groups.Counter(group, GroupTable.Visits) > 0)
        || (_events && groups.Counter(group, GroupTable.Events) > 0)
        || (_engaged && groups.Counter(group, GroupTable.EngagedVisits) > 0);

    private static bool Reads(QueryShape shape, int field) => (shape.Counters & (1 << field)) != 0;
}

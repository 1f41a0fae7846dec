using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// The partial aggregates of one group: counters, sums and visitor sketches, mergeable across segments. Sketches exist
/// only when a requested metric reads them.
/// </summary>
[GenerateSerializer, Alias("SegmentGroupAggregate")]
public sealed class GroupAggregate
{
    [Id(0)] public GroupVisitors? Visitors { get; set; }
    [Id(1)] public long Visits { get; set; }
    [Id(2)] public long Bounces { get; set; }
    [Id(3)] public long DurationMicros { get; set; }
    [Id(4)] public long SessionPageviews { get; set; }
    [Id(5)] public long Pageviews { get; set; }
    [Id(6)] public long Events { get; set; }
    [Id(7)] public long RevenueMicros { get; set; }
    [Id(8)] public long RevenueEvents { get; set; }
    [Id(9)] public long EngagementMs { get; set; }
    [Id(10)] public GroupVisitors? EngagedVisitors { get; set; }
    [Id(11)] public long ScrollDepthSum { get; set; }
    [Id(12)] public long ScrollDepthSamples { get; set; }

    public void Merge(GroupAggregate other)
    {
        Visitors = MergeSketch(Visitors, other.Visitors);
        Visits += other.Visits;
        Bounces += other.Bounces;
        DurationMicros += other.DurationMicros;
        SessionPageviews += other.SessionPageviews;
        Pageviews += other.Pageviews;
        Events += other.Events;
        RevenueMicros += other.RevenueMicros;
        RevenueEvents += other.RevenueEvents;
        EngagementMs += other.EngagementMs;
        EngagedVisitors = MergeSketch(EngagedVisitors, other.EngagedVisitors);
        ScrollDepthSum += other.ScrollDepthSum;
        ScrollDepthSamples += other.ScrollDepthSamples;
    }

    public GroupAggregate Clone()
    {
        var copy = (GroupAggregate)MemberwiseClone();
        copy.Visitors = Visitors?.Clone();
        copy.EngagedVisitors = EngagedVisitors?.Clone();
        return copy;
    }

    /// <summary>A metric's value, rounded as Plausible rounds it (half away from zero).</summary>
    public double Metric(string name, long totalVisitors) => name switch
    {
        MetricNames.Visitors => Visitors?.Count() ?? 0,
        MetricNames.Visits => Visits,
        MetricNames.Pageviews => Pageviews,
        MetricNames.Events => Events,
        MetricNames.BounceRate => Visits > 0 ? Round(100.0 * Bounces / Visits) : 0,
        MetricNames.VisitDuration => Visits > 0 ? Round(DurationMicros / 1e6 / Visits) : 0,
        MetricNames.ViewsPerVisit => Visits > 0 ? Round((double)SessionPageviews / Visits, 2) : 0,
        MetricNames.TimeOnPage => EngagedVisitors?.Count() is > 0 and var engaged ? Round(EngagementMs / 1000.0 / engaged) : 0,
        MetricNames.ScrollDepth => ScrollDepthSamples > 0 ? Round((double)ScrollDepthSum / ScrollDepthSamples) : 0,
        MetricNames.Percentage => totalVisitors > 0 ? Round(100.0 * (Visitors?.Count() ?? 0) / totalVisitors, 1) : 0,
        MetricNames.TotalRevenue => Round(RevenueMicros / 1e6, 2),
        MetricNames.AverageRevenue => RevenueEvents > 0 ? Round(RevenueMicros / 1e6 / RevenueEvents, 2) : 0,
        _ => throw new ArgumentException($"Metric '{name}' is not supported by segments."),
    };

    private static double Round(double value, int digits = 0) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    private static GroupVisitors? MergeSketch(GroupVisitors? mine, GroupVisitors? theirs)
    {
        if (theirs is null)
        {
            return mine;
        }

        if (mine is null)
        {
            return theirs.Clone();
        }

        mine.Merge(theirs);
        return mine;
    }
}

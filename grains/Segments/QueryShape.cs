using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// What a query asks of a segment: its non-time dimensions in query order, its time dimension, and which aggregates
/// its metrics need (so a scan keeps no sketch nobody reads). Validates names: the parser rejects bad queries first,
/// this is the last line.
/// </summary>
internal sealed class QueryShape
{
    private static readonly HashSet<string> EventDimensions = new(StringComparer.Ordinal)
    {
        Dimensions.Page, Dimensions.Hostname, Dimensions.Goal, Dimensions.Name,
    };

    private static readonly HashSet<string> NotYetSupported = new(StringComparer.Ordinal)
    {
        Dimensions.CountryName, Dimensions.RegionName, Dimensions.CityName, Dimensions.ExitPageHostname,
    };

    private QueryShape(StatsQuery query)
    {
        var grouping = new List<string>();
        for (var i = 0; i < query.Dimensions.Count; i++)
        {
            var dimension = query.Dimensions[i];
            if (dimension.StartsWith("time:", StringComparison.Ordinal))
            {
                Time = query.Time ?? throw new ArgumentException($"Unknown time dimension '{dimension}'.");
                TimeIndex = i;
                continue;
            }

            Validate(dimension);
            HasEventDimension |= IsEventDimension(dimension);
            grouping.Add(dimension);
        }

        Grouping = grouping;
        foreach (var metric in query.Metrics)
        {
            switch (metric)
            {
                case MetricNames.Visitors:
                    NeedsVisitors = true;
                    break;
                case MetricNames.Percentage:
                    NeedsVisitors = NeedsTotals = true;
                    break;
                case MetricNames.ConversionRate or MetricNames.GroupConversionRate:
                    NeedsVisitors = true;
                    break;
                case MetricNames.Visits or MetricNames.BounceRate or MetricNames.VisitDuration or MetricNames.ViewsPerVisit or MetricNames.ExitRate:
                    NeedsSessions = true;
                    break;
                case MetricNames.TimeOnPage or MetricNames.ScrollDepth:
                    NeedsEngagement = true;
                    break;
                case MetricNames.Pageviews or MetricNames.Events or MetricNames.TotalRevenue or MetricNames.AverageRevenue:
                    break;
                default:
                    throw new ArgumentException($"Metric '{metric}' is not supported by segments.");
            }

            Counters |= CountersOf(metric);
        }
    }

    /// <summary>The non-time dimensions, in query order.</summary>
    public IReadOnlyList<string> Grouping { get; }

    public TimeGranularity? Time { get; }

    /// <summary>Position of the time dimension in the query's dimensions; -1 for none.</summary>
    public int TimeIndex { get; } = -1;

    /// <summary>With an event dimension a session counts in every group one of its matching events falls in.</summary>
    public bool HasEventDimension { get; }

    public bool NeedsVisitors { get; }

    public bool NeedsTotals { get; }

    public bool NeedsSessions { get; }

    public bool NeedsEngagement { get; }

    /// <summary>
    /// The counters the metrics read (bits of <see cref="GroupTable.Visits"/> ... <see cref="GroupTable.ScrollDepthVisits"/>),
    /// with those that decide whether a row shows (<see cref="RowPresence"/>) and those of a denominator's row
    /// (<see cref="MetricDenominators"/>): a partial holds only these.
    /// </summary>
    public int Counters { get; }

    public static QueryShape Of(StatsQuery query) => new(query);

    private static int CountersOf(string metric) => metric switch
    {
        MetricNames.Visits => Bits(GroupTable.Visits),
        MetricNames.BounceRate => Bits(GroupTable.Visits, GroupTable.Bounces),
        MetricNames.VisitDuration => Bits(GroupTable.Visits, GroupTable.DurationMicros),
        MetricNames.ViewsPerVisit => Bits(GroupTable.Visits, GroupTable.SessionPageviews),
        // A page's exits are visits, over the page's pageviews: either may be this row's side.
        MetricNames.ExitRate => Bits(GroupTable.Visits, GroupTable.Pageviews),
        MetricNames.Pageviews => Bits(GroupTable.Events, GroupTable.Pageviews),
        MetricNames.TimeOnPage => Bits(GroupTable.Events, GroupTable.EngagementMs, GroupTable.EngagedVisits),
        MetricNames.ScrollDepth => Bits(GroupTable.Events, GroupTable.EngagedVisits, GroupTable.ScrollDepthSum, GroupTable.ScrollDepthVisits),
        MetricNames.TotalRevenue or MetricNames.AverageRevenue => Bits(GroupTable.Events, GroupTable.RevenueMicros, GroupTable.RevenueEvents),
        // Visitors and the ratios of visitors, and events: a row shows where it has events (a visit metric's row, where it
        // has visits: none of those reads events).
        _ => Bits(GroupTable.Events),
    };

    private static int Bits(params ReadOnlySpan<int> fields)
    {
        var bits = 0;
        foreach (var field in fields)
        {
            bits |= 1 << field;
        }

        return bits;
    }

    public static bool IsEventDimension(string dimension) =>
        EventDimensions.Contains(dimension) || dimension.StartsWith(Dimensions.PropsPrefix, StringComparison.Ordinal);

    public static bool IsGoal(string dimension) => dimension is Dimensions.Goal or Dimensions.Name;

    /// <summary>Throws <see cref="ArgumentException"/> for a dimension segments cannot group or filter by.</summary>
    public static void Validate(string dimension)
    {
        if (NotYetSupported.Contains(dimension))
        {
            throw new ArgumentException($"Dimension '{dimension}' is not supported yet.");
        }

        if (!IsEventDimension(dimension) && !SessionTable.IsVisitDimension(dimension)
            || dimension.Length == Dimensions.PropsPrefix.Length && dimension.StartsWith(Dimensions.PropsPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unknown dimension '{dimension}'.");
        }
    }
}

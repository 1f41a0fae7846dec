using Analytics.GrainInterfaces.Metrics;

namespace Analytics.GrainInterfaces.Query;

/// <summary>Stats API v2 metric names, and which of them a breakdown can answer.</summary>
public static class MetricNames
{
    public const string Visitors = "visitors";
    public const string Visits = "visits";
    public const string Pageviews = "pageviews";
    public const string ViewsPerVisit = "views_per_visit";
    public const string BounceRate = "bounce_rate";
    public const string VisitDuration = "visit_duration";
    public const string Events = "events";

    public static readonly IReadOnlyList<string> All = [Visitors, Visits, Pageviews, ViewsPerVisit, BounceRate, VisitDuration, Events];

    /// <summary>The metrics a breakdown (or a filter) on <paramref name="dimension"/> can answer; null means all.</summary>
    public static IReadOnlyList<string> SupportedFor(string? dimension) => dimension switch
    {
        null => All,
        Dimensions.Page or Dimensions.Goal => [Visitors, Pageviews, Events],
        Dimensions.ExitPage => [Visitors, Visits],
        _ => [Visitors, Visits, Pageviews, ViewsPerVisit, BounceRate, VisitDuration],
    };
}

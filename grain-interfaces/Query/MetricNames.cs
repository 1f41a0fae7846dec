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
    public const string TimeOnPage = "time_on_page";
    public const string ScrollDepth = "scroll_depth";

    // Answered from segments only.
    public const string Percentage = "percentage";
    public const string ConversionRate = "conversion_rate";
    public const string GroupConversionRate = "group_conversion_rate";
    public const string TotalRevenue = "total_revenue";
    public const string AverageRevenue = "average_revenue";
    public const string ExitRate = "exit_rate";

    public static readonly IReadOnlyList<string> All = [Visitors, Visits, Pageviews, ViewsPerVisit, BounceRate, VisitDuration, Events, TimeOnPage, ScrollDepth];

    /// <summary>The metrics a breakdown (or a filter) on <paramref name="dimension"/> can answer; null means all.</summary>
    public static IReadOnlyList<string> SupportedFor(string? dimension) => dimension switch
    {
        null => All,
        Dimensions.Page => [Visitors, Pageviews, Events, TimeOnPage, ScrollDepth],
        Dimensions.Goal => [Visitors, Pageviews, Events],
        Dimensions.ExitPage => [Visitors, Visits],
        _ => [Visitors, Visits, Pageviews, ViewsPerVisit, BounceRate, VisitDuration],
    };
}

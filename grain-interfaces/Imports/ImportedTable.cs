using Analytics.GrainInterfaces.Query;

namespace Analytics.GrainInterfaces.Imports;

/// <summary>
/// One of Plausible's imported tables as its CSV export writes it (imported_&lt;name&gt;_yyyyMMdd_yyyyMMdd.csv): its
/// dimension columns, which query dimension each one answers, its count columns (by our metric field) and the metrics it
/// can answer once summed over days.
/// </summary>
public sealed record ImportedTable(
    string Name,
    IReadOnlyList<string> Columns,
    IReadOnlyDictionary<string, string> DimensionColumns,
    IReadOnlyDictionary<string, string> CountColumns,
    IReadOnlyList<string> Metrics)
{
    /// <summary>Our count fields, in the order <see cref="ImportedRow"/> and an aggregate row carry them.</summary>
    public static readonly IReadOnlyList<string> Counts = ["visitors", "visits", "pageviews", "bounces", "visit_duration", "events"];

    private static readonly string[] VisitMetrics =
        [MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.ViewsPerVisit, MetricNames.BounceRate, MetricNames.VisitDuration];

    private static readonly Dictionary<string, string> VisitCounts = new()
    {
        ["visitors"] = "visitors", ["visits"] = "visits", ["pageviews"] = "pageviews", ["bounces"] = "bounces", ["visit_duration"] = "visit_duration",
    };

    public static readonly IReadOnlyList<ImportedTable> All =
    [
        new("imported_visitors", [], new Dictionary<string, string>(), VisitCounts, VisitMetrics),
        new("imported_sources", ["source", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"],
            new Dictionary<string, string>
            {
                ["visit:source"] = "source", ["visit:referrer"] = "referrer", ["visit:utm_source"] = "utm_source", ["visit:utm_medium"] = "utm_medium",
                ["visit:utm_campaign"] = "utm_campaign", ["visit:utm_content"] = "utm_content", ["visit:utm_term"] = "utm_term",
            },
            VisitCounts, VisitMetrics),
        new("imported_pages", ["hostname", "page"], new Dictionary<string, string> { ["event:hostname"] = "hostname", ["event:page"] = "page" },
            new Dictionary<string, string> { ["visitors"] = "visitors", ["visits"] = "visits", ["pageviews"] = "pageviews" },
            [MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews]),
        new("imported_entry_pages", ["entry_page"], new Dictionary<string, string> { ["visit:entry_page"] = "entry_page" },
            new Dictionary<string, string>(VisitCounts) { ["visits"] = "entrances" }, VisitMetrics),
        new("imported_exit_pages", ["exit_page"], new Dictionary<string, string> { ["visit:exit_page"] = "exit_page" },
            new Dictionary<string, string>(VisitCounts) { ["visits"] = "exits" }, VisitMetrics),
        new("imported_custom_events", ["name", "link_url", "path"], new Dictionary<string, string> { ["event:goal"] = "name", ["event:name"] = "name" },
            new Dictionary<string, string> { ["visitors"] = "visitors", ["events"] = "events" }, [MetricNames.Visitors, MetricNames.Events]),
        new("imported_locations", ["country", "region", "city"],
            new Dictionary<string, string> { ["visit:country"] = "country", ["visit:region"] = "region", ["visit:city"] = "city" }, VisitCounts, VisitMetrics),
        new("imported_devices", ["device"], new Dictionary<string, string> { ["visit:device"] = "device" }, VisitCounts, VisitMetrics),
        new("imported_browsers", ["browser", "browser_version"],
            new Dictionary<string, string> { ["visit:browser"] = "browser", ["visit:browser_version"] = "browser_version" }, VisitCounts, VisitMetrics),
        new("imported_operating_systems", ["operating_system", "operating_system_version"],
            new Dictionary<string, string> { ["visit:os"] = "operating_system", ["visit:os_version"] = "operating_system_version" }, VisitCounts, VisitMetrics),
    ];

    public static ImportedTable? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>The table whose columns answer <paramref name="dimension"/>, if any.</summary>
    public static ImportedTable? Answering(string dimension) => All.FirstOrDefault(t => t.DimensionColumns.ContainsKey(dimension));
}

namespace Analytics.Gateway.Export;

/// <summary>
/// The columns of events.csv, in order: written by the export and read back by the import, so they live with neither
/// endpoint (the import must not depend on the API layer).
/// </summary>
public static class EventsCsvColumns
{
    public static readonly IReadOnlyList<string> All =
    [
        "id", "timestamp", "name", "visitor_id", "hostname", "pathname", "referrer", "source", "utm_source", "utm_medium",
        "utm_campaign", "country", "device", "browser", "browser_version", "os", "os_version", "screen_size",
        "interactive", "engagement_ms", "props", "revenue_amount", "revenue_currency",
        // Added later: appended, so that readers of the older columns by position keep working.
        "utm_content", "utm_term", "region", "city",
    ];
}

using Microsoft.AspNetCore.Mvc;

namespace Analytics.Gateway.Query;

/// <summary>The query string of Plausible's Stats API v1 (every endpoint reads the parameters it documents).</summary>
public sealed record StatsV1Request
{
    [FromQuery(Name = "site_id")] public string? SiteId { get; init; }
    [FromQuery(Name = "period")] public string? Period { get; init; }
    [FromQuery(Name = "date")] public string? Date { get; init; }
    [FromQuery(Name = "filters")] public string? Filters { get; init; }
    [FromQuery(Name = "property")] public string? Property { get; init; }
    [FromQuery(Name = "metrics")] public string? Metrics { get; init; }
    [FromQuery(Name = "compare")] public string? Compare { get; init; }
    [FromQuery(Name = "interval")] public string? Interval { get; init; }
    [FromQuery(Name = "limit")] public string? Limit { get; init; }
    [FromQuery(Name = "page")] public string? Page { get; init; }
}

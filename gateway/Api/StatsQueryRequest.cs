using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>
/// The shape of a POST /api/v2/query body, for the OpenAPI document only: the endpoint reads the raw JSON itself
/// (<see cref="Query.StatsQueryParser"/>) so that each mistake gets its own message.
/// </summary>
public sealed record StatsQueryRequest(
    [property: JsonPropertyName("site_id"), Description("The domain of a registered site.")] string SiteId,
    [property: JsonPropertyName("metrics"), Description(
        "visitors, visits, pageviews, views_per_visit, bounce_rate, visit_duration, events, time_on_page, scroll_depth, percentage, total_revenue, average_revenue.")]
    IReadOnlyList<string> Metrics,
    [property: JsonPropertyName("date_range"), JsonRequired, Description(
        "day, 7d, 28d, 30d, 91d, month, 6mo, 12mo, year, all, or [from, to] as two ISO dates or two ISO datetimes with an offset.")]
    JsonElement DateRange,
    [property: JsonPropertyName("dimensions"), Description(
        "Any number of event:page, event:hostname, event:goal (the site's configured goals), event:name (custom event names), event:props:<key>, visit:entry_page, visit:exit_page, visit:entry_page_hostname, "
        + "visit:source, visit:referrer, visit:channel, visit:utm_source/medium/campaign/content/term, visit:device, visit:browser, visit:browser_version, "
        + "visit:os, visit:os_version, visit:screen, visit:country, visit:region, visit:city; plus at most one of time, time:hour, time:day, time:week, time:month.")]
    IReadOnlyList<string>? Dimensions,
    [property: JsonPropertyName("filters"), Description(
        "[operator, dimension, [values], {\"case_sensitive\": false}?] with is, is_not, contains, contains_not, matches, matches_not (RE2 syntax); "
        + "[\"and\" | \"or\", [filters]]; [\"not\", filter]; [\"has_done\" | \"has_not_done\", filter on event dimensions]. The list is their conjunction.")]
    IReadOnlyList<JsonElement>? Filters,
    [property: JsonPropertyName("order_by"), Description("[[metric or dimension of the query, \"asc\" | \"desc\"], …].")] IReadOnlyList<JsonElement>? OrderBy,
    [property: JsonPropertyName("pagination")] StatsQueryPagination? Pagination,
    [property: JsonPropertyName("include")] StatsQueryInclude? Include,
    [property: JsonPropertyName("date"), Description("An ISO date: what 'today' means for relative date ranges (default: today in the site's time zone).")]
    string? Date);

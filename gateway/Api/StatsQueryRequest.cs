using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>
/// The shape of a POST /api/v2/query body, for the OpenAPI document only: the endpoint reads the raw JSON itself
/// (<see cref="Query.StatsQueryParser"/>) so that each mistake gets its own message.
/// </summary>
public sealed record StatsQueryRequest(
    [property: JsonPropertyName("site_id")] string SiteId,
    [property: JsonPropertyName("metrics")] IReadOnlyList<string> Metrics,
    [property: JsonPropertyName("date_range"), JsonRequired] JsonElement DateRange,
    [property: JsonPropertyName("dimensions")] IReadOnlyList<string>? Dimensions,
    [property: JsonPropertyName("filters")] IReadOnlyList<JsonElement>? Filters,
    [property: JsonPropertyName("order_by")] IReadOnlyList<JsonElement>? OrderBy,
    [property: JsonPropertyName("pagination")] StatsQueryPagination? Pagination);

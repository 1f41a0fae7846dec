using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>Part of <see cref="StatsQueryRequest"/>: which rows of a breakdown to return.</summary>
public sealed record StatsQueryPagination(
    [property: JsonPropertyName("limit")] int? Limit,
    [property: JsonPropertyName("offset")] int? Offset);

using System.Text.Json.Serialization;

namespace Analytics.Gateway.Query;

/// <summary>The Stats API v2 response shape.</summary>
public sealed record QueryResponse(
    [property: JsonPropertyName("results")] IReadOnlyList<QueryResponseRow> Results,
    [property: JsonPropertyName("meta")] QueryResponseMeta Meta,
    [property: JsonPropertyName("query")] QueryResponseEcho Query);

/// <summary>A row: metrics are numbers, revenue metrics a <see cref="RevenueValue"/> or null (as Plausible).</summary>
public sealed record QueryResponseRow(
    [property: JsonPropertyName("metrics")] IReadOnlyList<object?> Metrics,
    [property: JsonPropertyName("dimensions")] IReadOnlyList<string> Dimensions,
    [property: JsonPropertyName("comparison"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QueryResponseComparison? Comparison = null);

/// <summary>With include.comparisons: the matching row of the comparison range and each metric's change (as Plausible).</summary>
public sealed record QueryResponseComparison(
    [property: JsonPropertyName("dimensions")] IReadOnlyList<string> Dimensions,
    [property: JsonPropertyName("metrics")] IReadOnlyList<object?> Metrics,
    [property: JsonPropertyName("change")] IReadOnlyList<double> Change);

public sealed record QueryResponseMeta(
    [property: JsonPropertyName("total_rows")] int TotalRows,
    [property: JsonPropertyName("time_labels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? TimeLabels = null,
    [property: JsonPropertyName("imports_included"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ImportsIncluded = null,
    [property: JsonPropertyName("imports_warning"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ImportsWarning = null,
    [property: JsonPropertyName("metric_warnings"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, MetricWarning>? MetricWarnings = null);

/// <summary>What was answered, after defaults and the time zone were applied.</summary>
public sealed record QueryResponseEcho(
    [property: JsonPropertyName("site_id")] string SiteId,
    [property: JsonPropertyName("metrics")] IReadOnlyList<string> Metrics,
    [property: JsonPropertyName("date_range")] IReadOnlyList<string> DateRange,
    [property: JsonPropertyName("dimensions")] IReadOnlyList<string> Dimensions,
    [property: JsonPropertyName("timezone")] string Timezone,
    [property: JsonPropertyName("comparison_date_range"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? ComparisonDateRange = null);

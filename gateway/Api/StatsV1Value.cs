using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>One metric of a v1 aggregate: {"value": …}, with the previous period's value and the change when compared.</summary>
public sealed record StatsV1Value(
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("comparison_value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ComparisonValue = null,
    [property: JsonPropertyName("change"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Change = null);

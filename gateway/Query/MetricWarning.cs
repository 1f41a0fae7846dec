using System.Text.Json.Serialization;

namespace Analytics.Gateway.Query;

/// <summary>Why a metric's values are null or incomplete (Plausible's meta.metric_warnings entry).</summary>
public sealed record MetricWarning(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("warning")] string Warning);

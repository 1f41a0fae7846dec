using System.Text.Json.Serialization;

namespace Analytics.Gateway.Query;

/// <summary>A revenue metric as Plausible's Stats API answers it: compact and full text, the amount, its currency.</summary>
public sealed record RevenueValue(
    [property: JsonPropertyName("short")] string Short,
    [property: JsonPropertyName("long")] string Long,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("currency")] string Currency);

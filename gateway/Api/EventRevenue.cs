using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>Part of <see cref="EventRequest"/>: a goal's revenue, as Plausible sends it.</summary>
public sealed record EventRevenue(
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("amount")] decimal Amount);

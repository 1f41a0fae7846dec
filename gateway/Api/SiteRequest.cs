using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

public sealed record SiteRequest(
    [property: JsonPropertyName("domain")] string? Domain,
    [property: JsonPropertyName("timezone")] string? Timezone,
    [property: JsonPropertyName("cookieless")] bool? Cookieless,
    [property: JsonPropertyName("allowed_hostnames")] IReadOnlyList<string>? AllowedHostnames,
    [property: JsonPropertyName("respect_dnt")] bool? RespectDoNotTrack = null,
    [property: JsonPropertyName("ga4_measurement_id")] string? Ga4MeasurementId = null,
    [property: JsonPropertyName("locale")] string? Locale = null,
    [property: JsonPropertyName("revenue_rates")] IReadOnlyDictionary<string, decimal>? RevenueRates = null);

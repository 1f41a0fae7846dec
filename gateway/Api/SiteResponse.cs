using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Api;

public sealed record SiteResponse(
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("timezone")] string Timezone,
    [property: JsonPropertyName("cookieless")] bool Cookieless,
    [property: JsonPropertyName("allowed_hostnames")] IReadOnlyList<string> AllowedHostnames,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("respect_dnt")] bool RespectDoNotTrack,
    [property: JsonPropertyName("ga4_measurement_id")] string? Ga4MeasurementId,
    [property: JsonPropertyName("locale")] string? Locale,
    [property: JsonPropertyName("custom_properties")] IReadOnlyList<string> CustomProperties,
    [property: JsonPropertyName("revenue_rates")] IReadOnlyDictionary<string, decimal> RevenueRates)
{
    /// <summary>custom_properties: the allowed event props, as Plausible's Sites API names them.</summary>
    public static SiteResponse From(SiteSettings s) =>
        new(s.Domain, s.Timezone, s.Cookieless, s.AllowedHostnames, s.CreatedAt, s.RespectDoNotTrack, s.Ga4MeasurementId, s.Locale, s.AllowedProps, s.RevenueRates ?? new Dictionary<string, decimal>());
}

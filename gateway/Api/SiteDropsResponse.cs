using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>Beacons for the site that were not counted in the last hour, by reason (X-Drop-Reason's names).</summary>
public sealed record SiteDropsResponse(
    [property: JsonPropertyName("site")] string Site,
    [property: JsonPropertyName("window_minutes")] int WindowMinutes,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("reasons")] IReadOnlyDictionary<string, long> Reasons);

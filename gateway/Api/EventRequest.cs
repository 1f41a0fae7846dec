using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>
/// The shape of a POST /api/event body (Plausible's Events API), for the OpenAPI document only: the endpoint reads the
/// raw body itself (<see cref="Ingestion.BeaconReader"/>), which also accepts the tracker's compact keys (n, u, d, r, w, p, $, i).
/// </summary>
public sealed record EventRequest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("referrer")] string? Referrer,
    [property: JsonPropertyName("props")] IReadOnlyDictionary<string, JsonElement>? Props,
    [property: JsonPropertyName("revenue")] EventRevenue? Revenue,
    [property: JsonPropertyName("interactive")] bool? Interactive);

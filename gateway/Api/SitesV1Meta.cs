using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>Plausible pages with cursors; every site fits in one page here, so both cursors are null.</summary>
public sealed record SitesV1Meta(
    [property: JsonPropertyName("after")] string? After,
    [property: JsonPropertyName("before")] string? Before,
    [property: JsonPropertyName("limit")] int Limit);

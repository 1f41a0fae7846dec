using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

public sealed record SitesV1SharedLink(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("url")] string Url);

using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

public sealed record ShareLinkRequest([property: JsonPropertyName("name")] string? Name);

using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

public sealed record SitesV1Created([property: JsonPropertyName("created")] bool Created);

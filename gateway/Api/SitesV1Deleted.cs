using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

public sealed record SitesV1Deleted([property: JsonPropertyName("deleted")] bool Deleted);

using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

public sealed record SitesV1CustomProp([property: JsonPropertyName("property")] string Property);

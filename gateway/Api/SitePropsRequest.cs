using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

public sealed record SitePropsRequest([property: JsonPropertyName("property")] string? Property);

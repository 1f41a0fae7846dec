using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>GET /api/v1/sites/custom-props: {"custom_properties": [{"property": "author"}, …]}.</summary>
public sealed record SitesV1CustomProps([property: JsonPropertyName("custom_properties")] IReadOnlyList<SitesV1CustomProp> CustomProperties);

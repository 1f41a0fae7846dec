using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

public sealed record SitesV1List(
    [property: JsonPropertyName("sites")] IReadOnlyList<SiteResponse> Sites,
    [property: JsonPropertyName("meta")] SitesV1Meta Meta);

using System.Text.Json.Serialization;
using Analytics.Gateway.Goals;

namespace Analytics.Gateway.Api;

public sealed record SitesV1Goals(
    [property: JsonPropertyName("goals")] IReadOnlyList<GoalResponse> Goals,
    [property: JsonPropertyName("meta")] SitesV1Meta Meta);

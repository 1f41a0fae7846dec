using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

public sealed record ApiKeyRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("sites")] IReadOnlyList<string>? Sites,
    [property: JsonPropertyName("permissions")] IReadOnlyList<string>? Permissions);

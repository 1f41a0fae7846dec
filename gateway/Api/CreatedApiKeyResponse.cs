using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>The answer to creating a key: the only time the key itself is shown.</summary>
public sealed record CreatedApiKeyResponse(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("api_key")] ApiKeyResponse ApiKey);

using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>The answer to creating a secret: the only time the secret itself is shown.</summary>
public sealed record CreatedMpSecretResponse(
    [property: JsonPropertyName("api_secret")] string ApiSecret,
    [property: JsonPropertyName("secret")] MpSecretResponse Secret);

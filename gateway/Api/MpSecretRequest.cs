using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

public sealed record MpSecretRequest([property: JsonPropertyName("name")] string? Name);

using System.Text.Json.Serialization;

namespace Analytics.Gateway.Ga4;

/// <summary>The body /debug/mp/collect answers: an empty list for a valid payload.</summary>
public sealed record MpValidationResponse([property: JsonPropertyName("validationMessages")] IReadOnlyList<MpValidationMessage> ValidationMessages);

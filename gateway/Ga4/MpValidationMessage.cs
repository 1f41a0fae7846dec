using System.Text.Json.Serialization;

namespace Analytics.Gateway.Ga4;

/// <summary>One finding of /debug/mp/collect, in the shape of Google's validation server.</summary>
public sealed record MpValidationMessage(
    [property: JsonPropertyName("fieldPath")] string FieldPath,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("validationCode")] string ValidationCode);

using System.Text.Json.Serialization;

namespace Analytics.GrainInterfaces.Events;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventEnvelope))]
internal sealed partial class EventEnvelopeJsonContext : JsonSerializerContext;

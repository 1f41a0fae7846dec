using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.GrainInterfaces.Events;

/// <summary>
/// The durable wire form of an accepted event: versioned JSON in a Kafka message, so tools other than ours can read the
/// topic, and (packed) in the Cassandra archive; the embedded log's rows take the compact <see cref="BinaryEventEnvelope"/> form.
/// </summary>
public sealed record EventEnvelope
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("v")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("id")] public required Guid Id { get; init; }
    [JsonPropertyName("received_at")] public required DateTime ReceivedAt { get; init; }
    [JsonPropertyName("event")] public required TrackedEvent Event { get; init; }

    public static EventEnvelope For(TrackedEvent e, DateTime receivedAt) => new() { Id = e.Id, ReceivedAt = receivedAt, Event = e };

    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, EventEnvelopeJsonContext.Default.EventEnvelope);

    /// <summary>Reads an envelope; a version this build does not know is rejected rather than misread.</summary>
    public static EventEnvelope FromUtf8Bytes(ReadOnlySpan<byte> utf8)
    {
        var envelope = EventEnvelopeReader.Read(utf8);
        if (envelope.Version != CurrentVersion)
        {
            throw new JsonException($"Event envelope version {envelope.Version} is not supported (this build reads {CurrentVersion}).");
        }

        return envelope;
    }

    /// <summary>Reads an envelope in either form: <see cref="BinaryEventEnvelope"/>'s, or JSON.</summary>
    public static EventEnvelope FromBytes(ReadOnlySpan<byte> bytes) =>
        BinaryEventEnvelope.IsBinary(bytes) ? BinaryEventEnvelope.Read(bytes) : FromUtf8Bytes(bytes);
}

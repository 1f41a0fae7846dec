using Analytics.GrainInterfaces.Events;
using Confluent.Kafka;

namespace Analytics.Kafka.Streams;

/// <summary>Reads the gateway's versioned JSON envelope from a Kafka message: one event.</summary>
public sealed class EventEnvelopeMessageConverter : IKafkaStreamMessageConverter
{
    public IReadOnlyList<object>? Convert(ConsumeResult<byte[], byte[]> message) =>
        message.Message.Value is { Length: > 0 } value ? [EventEnvelope.FromUtf8Bytes(value).Event] : null;
}

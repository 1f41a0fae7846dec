using Analytics.GrainInterfaces.Events;
using Confluent.Kafka;

namespace Analytics.Kafka.Streams;

/// <summary>Reads the gateway's versioned JSON envelope from a Kafka message into the visitor's event stream.</summary>
public sealed class EventEnvelopeMessageConverter : IKafkaStreamMessageConverter
{
    public KafkaStreamMessage? Convert(ConsumeResult<byte[], byte[]> message)
    {
        if (message.Message.Value is not { Length: > 0 } value)
        {
            return null;
        }

        var envelope = EventEnvelope.FromUtf8Bytes(value);
        return new KafkaStreamMessage(StreamId.Create(StreamNames.Events, envelope.Event.VisitorKey), [envelope.Event]);
    }
}

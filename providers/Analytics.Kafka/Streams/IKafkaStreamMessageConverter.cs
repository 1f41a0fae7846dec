using Confluent.Kafka;

namespace Analytics.Kafka.Streams;

/// <summary>
/// Reads one Kafka message as stream events. The payload type belongs to the application, so the
/// provider resolves this from DI: keyed by the provider name, else the single registration.
/// </summary>
public interface IKafkaStreamMessageConverter
{
    /// <summary>Returns null (or throws) for a message that is not for any stream; the provider skips it.</summary>
    KafkaStreamMessage? Convert(ConsumeResult<byte[], byte[]> message);
}

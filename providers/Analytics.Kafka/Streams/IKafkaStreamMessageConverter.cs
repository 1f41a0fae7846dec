using Confluent.Kafka;

namespace Analytics.Kafka.Streams;

/// <summary>
/// Reads one Kafka message as stream events; the stream is the message's partition's lane. The payload type belongs to
/// the application, so the provider resolves this from DI: keyed by the provider name, else the single registration.
/// </summary>
public interface IKafkaStreamMessageConverter
{
    /// <summary>Returns null or no events (or throws) for a message that carries none; the provider skips it.</summary>
    IReadOnlyList<object>? Convert(ConsumeResult<byte[], byte[]> message);
}

using Orleans.Runtime;

namespace Analytics.Kafka.Streams;

/// <summary>What one Kafka message means to Orleans: the stream it belongs to and its events.</summary>
public sealed record KafkaStreamMessage(StreamId StreamId, IReadOnlyList<object> Events);

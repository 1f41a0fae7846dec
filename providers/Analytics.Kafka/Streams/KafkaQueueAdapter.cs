using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>
/// Read-only adapter: the gateway produces to Kafka directly (with the message key as the stream
/// key), so nothing is written through Orleans and the adapter only hands out partition receivers.
/// </summary>
public sealed class KafkaQueueAdapter(string name, KafkaStreamOptions options, IKafkaStreamMessageConverter converter, ILoggerFactory loggerFactory) : IQueueAdapter
{
    public string Name { get; } = name;

    // Rewinding would need the cache to serve tokens older than what it holds; not needed yet.
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException($"Stream provider '{Name}' only reads Kafka; produce to topic '{options.Topic}' with a Kafka producer instead.");

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new KafkaQueueAdapterReceiver(Name, KafkaStreamQueueMapper.PartitionOf(queueId), options, converter, loggerFactory);
}

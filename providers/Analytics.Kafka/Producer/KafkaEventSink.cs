using Analytics.Abstractions.Ingestion;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Kafka.Producer;

/// <summary>The cluster profile's event store: one Kafka message per event, keyed by visitor so its events stay ordered.</summary>
public sealed class KafkaEventSink(KafkaBeaconProducer producer) : IEventSink
{
    public async ValueTask AppendAsync(EventEnvelope envelope, CancellationToken cancellationToken) =>
        await producer.ProduceAsync(envelope.Event.VisitorKey, envelope.ToUtf8Bytes(), cancellationToken);
}

using Analytics.GrainInterfaces.Events;

namespace Analytics.Abstractions.Ingestion;

/// <summary>Where accepted events are made durable before the gateway answers 202: the embedded log, or Kafka.</summary>
public interface IEventSink
{
    /// <summary>Completes once the event is durably stored; throws <see cref="EventSinkUnavailableException"/> otherwise.</summary>
    ValueTask AppendAsync(EventEnvelope envelope, CancellationToken cancellationToken);
}

using Analytics.Abstractions.Ingestion;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Gateway.Ingestion.Steps;

/// <summary>
/// The last step: the event gets its id and goes to the sink (the embedded log, or Kafka), durable when this completes.
/// Throws <see cref="EventSinkUnavailableException"/> when it cannot be made durable.
/// </summary>
public sealed class WriteToSinkStep(IEventSink sink) : IIngestionStep
{
    public string Name => "write_to_sink";

    public async ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        var e = context.Event = context.ToTrackedEvent(EventIds.NewVersion7(new DateTimeOffset(context.ReceivedAt)));
        var envelope = EventEnvelope.For(e, context.ReceivedAt);
        if (context.Deferred is { } deferred)
        {
            deferred.Add(envelope);
        }
        else
        {
            await sink.AppendAsync(envelope, cancellationToken);
        }

        return null;
    }
}

using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Privacy;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sessions;
using Analytics.Grains.EventLog;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace Analytics.Grains.Sessions;

/// <summary>
/// Receives a visitor's events either by direct call (the embedded log's pump) or, in the cluster profile, from the
/// Kafka-backed event stream it is implicitly subscribed to. Both end in <see cref="TrackAsync"/>.
/// </summary>
[ImplicitStreamSubscription(StreamNames.Events)]
// Its state is saved after every event, so an idle visitor costs only a read to bring back; kept for Orleans' default
// 15 minutes, a million visitors a day would hold hundreds of thousands of activations (~10 KB each) at peak.
[CollectionAgeLimit(Minutes = 2)]
public sealed class VisitorGrain(
    [PersistentState("visitor", StorageNames.Analytics)] IPersistentState<VisitorState> state)
    : Grain, IVisitorGrain
{
    private IRawEventLog? _rawLog;
    private bool _siteErased;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The cluster profile archives raw events in Cassandra; the embedded profile's SQLite log already keeps them.
        _rawLog = ServiceProvider.GetService<IRawEventLog>();
        // Events of an erased site still in flight (in the log or the stream) are dropped, never counted or stored.
        _siteErased = await GrainFactory.Of(VisitorKeys.Parse(this.GetPrimaryKeyString()).Site).IsErasedAsync();

        // Only the cluster profile has the stream provider; the embedded profile calls TrackAsync directly.
        if (ServiceProvider.GetKeyedService<IStreamProvider>(StreamNames.Provider) is { } streams)
        {
            var stream = streams.GetStream<TrackedEvent>(StreamId.Create(StreamNames.Events, this.GetPrimaryKeyString()));
            await stream.SubscribeAsync((e, _) => TrackAsync([e]));
        }
    }

    public async Task TrackAsync(IReadOnlyList<TrackedEvent> events)
    {
        // Archive first, count second. Here rather than in the Kafka receiver: a failed append throws before anything
        // is counted, and the stream (or the embedded pump) redelivers, so every counted event is in the raw log; the
        // receiver would have to rewind its partition on a failed write instead. The log's group commit coalesces the
        // appends of all visitor grains on the silo into per-partition batches, so this is not a round trip per event.
        // Duplicates are appended too: the row is keyed by event id, so rewriting it is harmless.
        if (_siteErased)
        {
            return;
        }

        if (_rawLog is not null && events.Count > 0)
        {
            await _rawLog.AppendAsync(events);
        }

        var appends = new List<RoutedAppend>();
        var changed = false;
        foreach (var e in events)
        {
            changed |= Sessionizer.Apply(state.State, e, appends);
        }

        if (!changed)
        {
            return;
        }

        var aggregator = GrainFactory.GetGrain<IMetricAggregatorGrain>(0);
        try
        {
            // Segments first, then our own state: a crash in between replays the events against the old state, which
            // yields the same appends with the same sequences, and the segments skip them.
            await aggregator.AddAsync(appends);

            await state.WriteStateAsync();
        }
        catch
        {
            // Forget what was computed in memory so a retry starts from the saved state and stays deterministic. When storage
            // cannot be read either (it is down), drop this activation: kept, it would take the redelivered events for
            // duplicates and never count them.
            try
            {
                await state.ReadStateAsync();
            }
            catch
            {
                DeactivateOnIdle();
            }
            throw;
        }
    }
}

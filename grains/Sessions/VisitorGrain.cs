using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Privacy;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sessions;
using Analytics.Grains.EventLog;
using Orleans.Streams;

namespace Analytics.Grains.Sessions;

/// <summary>
/// Receives a visitor's events from the event stream it is implicitly subscribed to: Kafka in the cluster profile, the
/// SQLite event log in the embedded one, each through its Orleans stream provider. A batch (a visitor's events of one
/// pull) is archived, sessionized and counted in one turn; the provider checkpoints only after it completed.
/// </summary>
[ImplicitStreamSubscription(StreamNames.Events)]
// Its state is saved after every batch, so an idle visitor costs only a read to bring back; kept for Orleans' default
// 15 minutes, a million visitors a day would hold hundreds of thousands of activations (~10 KB each) at peak.
[CollectionAgeLimit(Minutes = 2)]
public sealed class VisitorGrain(
    [PersistentState("visitor", StorageNames.Analytics)] IPersistentState<VisitorState> state,
    IRawEventLog rawLog)
    : Grain, IVisitorGrain
{
    private bool _siteErased;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Events of an erased site still in flight (in the log or the stream) are dropped, never counted or stored.
        _siteErased = await GrainFactory.Of(VisitorKeys.Parse(this.GetPrimaryKeyString()).Site).IsErasedAsync();
        var stream = this.GetStreamProvider(StreamNames.Provider)
            .GetStream<TrackedEvent>(StreamId.Create(StreamNames.Events, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync(batch => TrackAsync([.. batch.Select(item => item.Item)]));
    }

    /// <summary>
    /// Processes a batch in order. Completes only when its rows are durable in their segments and the visitor's own state
    /// is saved, so the stream may then checkpoint. Replaying an event id counts nothing twice.
    /// </summary>
    private async Task TrackAsync(IReadOnlyList<TrackedEvent> events)
    {
        // Archive first, count second. Here rather than in the stream's receiver: a failed append throws before anything
        // is counted, and the stream redelivers, so every counted event is in the raw log; the receiver would have to
        // rewind its queue on a failed write instead. The log's group commit coalesces the appends of all visitor grains
        // on the silo into per-partition batches, so this is not a round trip per event. Duplicates are appended too:
        // the row is keyed by event id, so rewriting it is harmless. (The embedded log already holds the events.)
        if (_siteErased)
        {
            return;
        }

        if (events.Count > 0)
        {
            await rawLog.AppendAsync(events);
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

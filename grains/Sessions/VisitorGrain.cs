using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace Analytics.Grains.Sessions;

/// <summary>
/// Receives a visitor's events either by direct call (the embedded log's pump) or, in the cluster profile, from the
/// Kafka-backed event stream it is implicitly subscribed to. Both end in <see cref="TrackAsync"/>.
/// </summary>
[ImplicitStreamSubscription(StreamNames.Events)]
public sealed class VisitorGrain(
    [PersistentState("visitor", StorageNames.Analytics)] IPersistentState<VisitorState> state)
    : Grain, IVisitorGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Only the cluster profile has the stream provider; the embedded profile calls TrackAsync directly.
        if (ServiceProvider.GetKeyedService<IStreamProvider>(StreamNames.Provider) is { } streams)
        {
            var stream = streams.GetStream<TrackedEvent>(StreamId.Create(StreamNames.Events, this.GetPrimaryKeyString()));
            await stream.SubscribeAsync((e, _) => TrackAsync([e]));
        }
    }

    public async Task TrackAsync(IReadOnlyList<TrackedEvent> events)
    {
        var contributions = new List<BucketContribution>();
        var changed = false;
        foreach (var e in events)
        {
            changed |= Sessionizer.Apply(state.State, e, contributions);
        }

        if (!changed)
        {
            return;
        }

        var aggregator = GrainFactory.GetGrain<IMetricAggregatorGrain>(0);
        try
        {
            // Buckets first, then our own state: a crash in between replays the events against the old state, which
            // yields the same contribution ids, and the buckets skip them.
            if (contributions.Count > 0)
            {
                await aggregator.AddAsync(contributions);
            }

            await state.WriteStateAsync();
        }
        catch
        {
            // Forget what was computed in memory so a retry starts from the saved state and stays deterministic.
            await state.ReadStateAsync();
            throw;
        }

        if (contributions.Count > 0)
        {
            await aggregator.ForgetAsync(contributions);
        }
    }
}

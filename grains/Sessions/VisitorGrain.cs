using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sessions;

namespace Analytics.Grains.Sessions;

public sealed class VisitorGrain(
    [PersistentState("visitor", StorageNames.Analytics)] IPersistentState<VisitorState> state)
    : Grain, IVisitorGrain
{
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

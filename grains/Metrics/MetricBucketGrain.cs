using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Privacy;
using Microsoft.Extensions.Options;

namespace Analytics.Grains.Metrics;

public sealed class MetricBucketGrain(
    [PersistentState("bucket", StorageNames.Analytics)] IPersistentState<MetricBucketState> state,
    IOptions<MetricsOptions> options,
    TimeProvider time)
    : Grain, IMetricBucketGrain, IMetricBucketRebuildGrain
{
    /// <summary>In-flight ids older than this belong to a confirmation lost in a crash; the events were long checkpointed.</summary>
    private static readonly TimeSpan InFlightExpiry = TimeSpan.FromHours(6);

    private bool _siteErased;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        // Contributions of an erased site still in flight (the aggregator's batch) must not recreate its buckets.
        _siteErased = await GrainFactory.Of(BucketKey.Parse(this.GetPrimaryKeyString()).Site).IsErasedAsync();

    public async Task ApplyAsync(IReadOnlyList<BucketContribution> contributions)
    {
        if (_siteErased)
        {
            return;
        }

        var bucket = state.State;
        var now = time.GetUtcNow().UtcTicks;
        var applied = bucket.Apply(contributions, options.Value.BreakdownCapacity, now);
        if (applied == 0)
        {
            return;
        }

        ExpireInFlight(bucket, now);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory now holds what storage does not: start over from storage so the retry is counted correctly.
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task RebuildAsync(MetricBucketState rebuilt)
    {
        if (_siteErased || (!state.RecordExists && rebuilt.IsEmpty))
        {
            return; // nothing stored, nothing to store: spares a write per empty bucket of the range
        }

        state.State = rebuilt;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    public Task ForgetAsync(IReadOnlyList<ContributionId> ids)
    {
        foreach (var id in ids)
        {
            state.State.InFlight.Remove(id);
        }

        return Task.CompletedTask;
    }

    public Task<BucketSlice> GetSliceAsync(string? dimension)
    {
        var bucket = state.State;
        IReadOnlyList<DimensionRow> rows = [];
        if (dimension is not null && bucket.Breakdowns.TryGetValue(dimension, out var table))
        {
            rows = [.. table.Rows.Select(r => new DimensionRow(r.Key, r.Value.Counters, r.Value.Visitors.Clone()))];
        }

        // Clones: the slice leaves this activation by reference within a silo.
        return Task.FromResult(new BucketSlice(bucket.Totals, bucket.Visitors.Clone(), rows));
    }

    private static void ExpireInFlight(MetricBucketState bucket, long now)
    {
        if (bucket.InFlight.Count < 1024)
        {
            return;
        }

        var cutoff = now - InFlightExpiry.Ticks;
        foreach (var (id, appliedAt) in bucket.InFlight)
        {
            if (appliedAt < cutoff)
            {
                bucket.InFlight.Remove(id);
            }
        }
    }
}

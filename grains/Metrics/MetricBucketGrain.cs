using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Privacy;
using Analytics.GrainInterfaces.Sites;
using Microsoft.Extensions.Options;

namespace Analytics.Grains.Metrics;

public sealed class MetricBucketGrain(
    [PersistentState("bucket", StorageNames.Analytics)] IPersistentState<MetricBucketState> state,
    IOptions<MetricsOptions> options,
    ClosedBucketCache closedBuckets,
    TimeProvider time)
    : Grain, IMetricBucketGrain, IMetricBucketRebuildGrain
{
    /// <summary>In-flight ids older than this belong to a confirmation lost in a crash; the events were long checkpointed.</summary>
    private static readonly TimeSpan InFlightExpiry = TimeSpan.FromHours(6);

    private BucketKey? _key;
    private TimeZoneInfo? _zone;
    private DateTime _cachedAt = DateTime.MinValue;
    private bool _siteErased;

    private BucketKey Key => _key ??= BucketKey.Parse(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        // Contributions of an erased site still in flight (the aggregator's batch) must not recreate its buckets.
        _siteErased = await GrainFactory.Of(Key.Site).IsErasedAsync();

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

        await CacheIfClosedAsync(changed: true);
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

        await CacheIfClosedAsync(changed: true);
    }

    public Task ForgetAsync(IReadOnlyList<ContributionId> ids)
    {
        foreach (var id in ids)
        {
            state.State.InFlight.Remove(id);
        }

        return Task.CompletedTask;
    }

    public async Task<BucketSlice> GetSliceAsync(string? dimension)
    {
        var slice = state.State.Slice(dimension);
        await CacheIfClosedAsync(changed: false);
        return slice;
    }

    /// <summary>
    /// Keeps a closed bucket's cache entry current: written when it is read (again once half its time to live has passed),
    /// and rewritten after every change, so a late event or a rebuild never leaves the old numbers behind.
    /// </summary>
    private async Task CacheIfClosedAsync(bool changed)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!changed && now - _cachedAt < closedBuckets.TimeToLive / 2)
        {
            return;
        }

        if (!closedBuckets.IsClosed(Key, await ZoneAsync()))
        {
            return;
        }

        await closedBuckets.StoreAsync(Key, state.State);
        _cachedAt = now;
    }

    /// <summary>Where a day bucket ends depends on the site's time zone; minutes and hours are UTC.</summary>
    private async ValueTask<TimeZoneInfo> ZoneAsync()
    {
        if (Key.Granularity != Granularity.Day)
        {
            return TimeZoneInfo.Utc;
        }

        if (_zone is { } zone)
        {
            return zone;
        }

        // Read-only, so it interleaves with the site's own query that may be what is reading this bucket.
        var settings = await GrainFactory.GetGrain<ISiteGrain>(Key.Site).GetSettingsAsync();
        return _zone = TimeZones.Find(settings?.Timezone ?? TimeZoneInfo.Utc.Id);
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

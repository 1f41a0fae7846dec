using Analytics.GrainInterfaces.Caching;
using Analytics.GrainInterfaces.Metrics;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Analytics.Grains.Metrics;

/// <summary>
/// Closed metric buckets in the shared hot cache, so that a query over closed periods reads them without activating their
/// grains. Key <c>{KeyPrefix}b1:{bucket key}</c>; value: the bucket's counters, visitor sketch and breakdowns
/// (Orleans-serialized, without the in-flight ids), kept <see cref="HotCacheOptions.ClosedResultTtl"/>. Closed is
/// <see cref="ClosedPeriods"/>' rule, the one query results use; open buckets are never read from here. The bucket grain
/// writes its entry when a closed bucket is read, and rewrites it after every write to a closed bucket (late events, rebuilds).
/// </summary>
public sealed class ClosedBucketCache(IHotCache cache, IOptions<HotCacheOptions> options, Serializer<MetricBucketState> serializer, TimeProvider time)
{
    public const string KeyVersion = "b1";

    public static string Key(string prefix, BucketKey bucket) => $"{prefix}{KeyVersion}:{bucket}";

    /// <summary>How long an entry lives; the grain rewrites it well before, when it is read again.</summary>
    public TimeSpan TimeToLive => options.Value.ClosedResultTtl;

    /// <param name="zone">The site's time zone: it decides where a day bucket ends.</param>
    public bool IsClosed(BucketKey bucket, TimeZoneInfo zone) =>
        ClosedPeriods.IsClosed(ClosedPeriods.EndUtc(bucket.Granularity, bucket.Start, zone), time.GetUtcNow().UtcDateTime, options.Value.ClosedAfter);

    /// <summary>The cached states of the closed ones among <paramref name="buckets"/>, in order; null for open buckets and misses.</summary>
    public async Task<MetricBucketState?[]> GetClosedAsync(IReadOnlyList<BucketKey> buckets, TimeZoneInfo zone)
    {
        var found = new MetricBucketState?[buckets.Count];
        var closed = Enumerable.Range(0, buckets.Count).Where(i => IsClosed(buckets[i], zone)).ToList();
        if (closed.Count == 0)
        {
            return found;
        }

        var values = await cache.GetManyAsync([.. closed.Select(i => Key(options.Value.KeyPrefix, buckets[i]))]);
        for (var j = 0; j < closed.Count; j++)
        {
            found[closed[j]] = values[j] is { } bytes ? TryRead(bytes) : null;
        }

        return found;
    }

    public ValueTask StoreAsync(BucketKey bucket, MetricBucketState state)
    {
        // In-flight ids only matter to the live grain; the rest is shared, not copied, and serialized before this returns.
        var entry = new MetricBucketState { Totals = state.Totals, Visitors = state.Visitors, Breakdowns = state.Breakdowns };
        return cache.SetAsync(Key(options.Value.KeyPrefix, bucket), serializer.SerializeToArray(entry), options.Value.ClosedResultTtl);
    }

    /// <summary>Drops every cached bucket of <paramref name="site"/> (bucket keys are <c>site|granularity|start</c>).</summary>
    public ValueTask ForgetSiteAsync(string site) => cache.RemoveByPrefixAsync($"{Key(options.Value.KeyPrefix, site)}|");

    private static string Key(string prefix, string site) => $"{prefix}{KeyVersion}:{site}";

    private MetricBucketState? TryRead(byte[] bytes)
    {
        try
        {
            return serializer.Deserialize(bytes);
        }
        catch (Exception)
        {
            // An entry written by an incompatible version: ask the grain (which overwrites it) rather than fail.
            return null;
        }
    }
}

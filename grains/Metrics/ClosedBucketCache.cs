using System.Runtime.CompilerServices;
using Analytics.Abstractions.Caching;
using Analytics.GrainInterfaces.Metrics;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Analytics.Grains.Metrics;

/// <summary>
/// Closed metric buckets in the shared hot cache, so that a query over closed periods reads them without activating their
/// grains. Each bucket is stored in parts, so a query fetches only what it slices: <c>{KeyPrefix}b2:{bucket key}</c> holds
/// the counters, the visitor sketch and the list of breakdowns (<see cref="ClosedBucketEntry"/>), and
/// <c>{KeyPrefix}b2:{bucket key}#{dimension}</c> one breakdown's rows; all Orleans-serialized, kept
/// <see cref="HotCacheOptions.ClosedResultTtl"/>. (A whole bucket of a busy site is hundreds of KB; a 30-day question
/// used to read and decode thirty of them to use one breakdown.) Closed is <see cref="ClosedPeriods"/>' rule, the one
/// query results use; open buckets are never read from here. The bucket grain writes its entries when a closed bucket
/// is read, and rewrites them after every write to a closed bucket (late events, rebuilds).
/// </summary>
public sealed class ClosedBucketCache(IHotCache cache, IOptions<HotCacheOptions> options, Serializer serializer, TimeProvider time)
{
    public const string KeyVersion = "b2";

    /// <summary>
    /// Decoded entries keyed by the cached bytes themselves. The in-process cache hands out the same array until the entry
    /// is replaced, so a hot closed bucket is decoded once (thirty breakdowns of a busy site are megabytes to decode per
    /// question), and a replaced entry can never be answered from an old decoding. Entries die with their arrays.
    /// Decoded values are shared between queries, which only read them.
    /// </summary>
    private readonly ConditionalWeakTable<byte[], object> _decoded = new();

    /// <summary>The key of the bucket's totals entry.</summary>
    public static string Key(string prefix, BucketKey bucket) => $"{prefix}{KeyVersion}:{bucket}";

    /// <summary>The key of one breakdown's rows.</summary>
    public static string RowsKey(string prefix, BucketKey bucket, string dimension) => $"{Key(prefix, bucket)}#{dimension}";

    /// <summary>How long an entry lives; the grain rewrites it well before, when it is read again.</summary>
    public TimeSpan TimeToLive => options.Value.ClosedResultTtl;

    /// <param name="zone">The site's time zone: it decides where a day bucket ends.</param>
    public bool IsClosed(BucketKey bucket, TimeZoneInfo zone) =>
        ClosedPeriods.IsClosed(ClosedPeriods.EndUtc(bucket.Granularity, bucket.Start, zone), time.GetUtcNow().UtcDateTime, options.Value.ClosedAfter);

    /// <summary>
    /// The slices (totals, and the rows of <paramref name="dimension"/> when given) of the closed ones among
    /// <paramref name="buckets"/>, read in one batch, in order; null for open buckets and misses.
    /// </summary>
    public async Task<BucketSlice?[]> GetClosedAsync(IReadOnlyList<BucketKey> buckets, TimeZoneInfo zone, string? dimension)
    {
        var found = new BucketSlice?[buckets.Count];
        var closed = Enumerable.Range(0, buckets.Count).Where(i => IsClosed(buckets[i], zone)).ToList();
        if (closed.Count == 0)
        {
            return found;
        }

        var prefix = options.Value.KeyPrefix;
        var perBucket = dimension is null ? 1 : 2;
        var keys = new List<string>(closed.Count * perBucket);
        foreach (var i in closed)
        {
            keys.Add(Key(prefix, buckets[i]));
            if (dimension is not null)
            {
                keys.Add(RowsKey(prefix, buckets[i], dimension));
            }
        }

        var values = await cache.GetManyAsync(keys);
        for (var j = 0; j < closed.Count; j++)
        {
            if (values[j * perBucket] is not { } bytes || TryRead<ClosedBucketEntry>(bytes) is not { } entry)
            {
                continue;
            }

            IReadOnlyList<DimensionRow> rows = [];
            if (dimension is not null && entry.Dimensions.Contains(dimension, StringComparer.Ordinal))
            {
                if (values[(j * perBucket) + 1] is not { } rowBytes || TryRead<DimensionRow[]>(rowBytes) is not { } read)
                {
                    continue;
                }

                rows = read;
            }

            found[closed[j]] = new BucketSlice(entry.Totals, entry.Visitors, rows);
        }

        return found;
    }

    public async ValueTask StoreAsync(BucketKey bucket, MetricBucketState state)
    {
        // Rows before the entry that lists them, so a reader that finds the entry finds its rows (or counts a miss).
        // Nothing is cloned: every part is serialized before this returns, before the grain's next turn can change it.
        var prefix = options.Value.KeyPrefix;
        var ttl = options.Value.ClosedResultTtl;
        await Task.WhenAll(state.Breakdowns.Select(b => cache.SetAsync(
            RowsKey(prefix, bucket, b.Key),
            serializer.SerializeToArray<DimensionRow[]>([.. b.Value.Rows.Select(r => new DimensionRow(r.Key, r.Value.Counters, r.Value.Visitors))]),
            ttl).AsTask()));
        await cache.SetAsync(Key(prefix, bucket), serializer.SerializeToArray(new ClosedBucketEntry(state.Totals, state.Visitors, [.. state.Breakdowns.Keys])), ttl);
    }

    /// <summary>Drops every cached bucket of <paramref name="site"/> (bucket keys are <c>site|granularity|start</c>).</summary>
    public ValueTask ForgetSiteAsync(string site) => cache.RemoveByPrefixAsync($"{options.Value.KeyPrefix}{KeyVersion}:{site}|");

    private T? TryRead<T>(byte[] bytes)
        where T : class
    {
        if (_decoded.TryGetValue(bytes, out var known))
        {
            return known as T;
        }

        T? value;
        try
        {
            value = serializer.Deserialize<T>(bytes);
        }
        catch (Exception)
        {
            // An entry written by an incompatible version: ask the grain (which overwrites it) rather than fail.
            return null;
        }

        if (value is not null)
        {
            _decoded.AddOrUpdate(bytes, value);
        }

        return value;
    }
}

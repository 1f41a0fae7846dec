using System.Runtime.CompilerServices;
using Analytics.Abstractions.Caching;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Sessions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Analytics.Grains.Segments;

/// <summary>
/// When a segment seals, and its sealed bytes in the shared hot cache (<c>{KeyPrefix}s1:{segment key}</c>, kept
/// <see cref="HotCacheOptions.ClosedResultTtl"/>), so that a query over past days scans them without activating their
/// grains. The segment grain writes the entry when it seals (or finds itself sealed) and empties it when a late append
/// reopens it. A miss, an error or an undecodable entry sends the query to the grain. The partial answers of the decoded
/// segments are kept too (<see cref="Partials"/>).
/// </summary>
public sealed class SealedSegments(IHotCache cache, IOptions<HotCacheOptions> cacheOptions, IOptions<SegmentOptions> options, TimeProvider time, Serializer serializer)
{
    public const string KeyVersion = "s1";

    /// <summary>
    /// Decoded segments keyed by the cached bytes themselves: the in-process cache hands out the same array until the
    /// entry is replaced, so a hot sealed segment is decoded once, and a replaced entry is never answered from an old
    /// decoding. Segments are immutable, shared by every query that reads them.
    /// </summary>
    private readonly ConditionalWeakTable<byte[], Segment> _decoded = new();

    /// <summary>Partial answers of the segments this class decodes, per query shape.</summary>
    public SegmentPartialCache Partials { get; } = new(serializer, options.Value.PartialCacheBytes);

    public static string CacheKey(string prefix, SegmentKey segment) => $"{prefix}{KeyVersion}:{segment}";

    /// <summary>The instant from which <paramref name="segment"/> can no longer change, but for late deliveries.</summary>
    public DateTime SealAt(SegmentKey segment) => segment.LatestEventUtc + Sessionizer.SessionTimeout + options.Value.SealLag;

    public bool IsSealable(SegmentKey segment) => time.GetUtcNow().UtcDateTime >= SealAt(segment);

    /// <summary>The cached sealed forms of <paramref name="segments"/>, read in one batch, in order; null for open ones and misses.</summary>
    public async Task<Segment?[]> GetAsync(IReadOnlyList<SegmentKey> segments)
    {
        var found = new Segment?[segments.Count];
        var sealable = Enumerable.Range(0, segments.Count).Where(i => IsSealable(segments[i])).ToList();
        if (sealable.Count == 0)
        {
            return found;
        }

        var prefix = cacheOptions.Value.KeyPrefix;
        var values = await cache.GetManyAsync([.. sealable.Select(i => CacheKey(prefix, segments[i]))]);
        // Decoded in parallel: after a restart the first question decodes a month of segments (zstd and Arrow), all CPU.
        await Task.WhenAll(Enumerable.Range(0, sealable.Count)
            .Where(j => values[j] is { Length: > 0 })
            .Select(j => Task.Run(() => found[sealable[j]] = Decode(values[j]!))));
        return found;
    }

    public ValueTask StoreAsync(SegmentKey segment, byte[] bytes) =>
        cache.SetAsync(CacheKey(cacheOptions.Value.KeyPrefix, segment), bytes, cacheOptions.Value.ClosedResultTtl);

    /// <summary>
    /// Marks a segment open again: its entry becomes empty, which readers take for a miss. An overwrite, not a removal by
    /// prefix (a keyspace scan in Redis), and like every write it never fails its caller: with the cache unreachable, a
    /// stale entry lasts until the segment seals again and overwrites it.
    /// </summary>
    public ValueTask ForgetAsync(SegmentKey segment) =>
        cache.SetAsync(CacheKey(cacheOptions.Value.KeyPrefix, segment), ReadOnlyMemory<byte>.Empty, cacheOptions.Value.ClosedResultTtl);

    /// <summary>Drops every cached segment of <paramref name="site"/> and this silo's partial answers of them.</summary>
    public ValueTask ForgetSiteAsync(string site)
    {
        Partials.ForgetSite(site);
        return cache.RemoveByPrefixAsync($"{cacheOptions.Value.KeyPrefix}{KeyVersion}:{site}|");
    }

    private Segment? Decode(byte[] bytes)
    {
        if (_decoded.TryGetValue(bytes, out var known))
        {
            return known;
        }

        Segment segment;
        try
        {
            segment = Segment.Read(bytes);
        }
        catch (Exception)
        {
            // An entry written by an incompatible version: ask the grain (which overwrites it) rather than fail.
            return null;
        }

        _decoded.AddOrUpdate(bytes, segment);
        return segment;
    }
}

using System.Runtime.CompilerServices;
using Analytics.Abstractions.Caching;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Sessions;
using Microsoft.Extensions.Options;

namespace Analytics.Grains.Segments;

/// <summary>
/// When a segment seals, and its sealed bytes in the shared hot cache (<c>{KeyPrefix}s1:{segment key}</c>, kept
/// <see cref="HotCacheOptions.ClosedResultTtl"/>), so that a query over past days scans them without activating their
/// grains. The segment grain writes the entry when it seals (or finds itself sealed) and removes it when a late append
/// reopens it. A miss, an error or an undecodable entry sends the query to the grain.
/// </summary>
public sealed class SealedSegments(IHotCache cache, IOptions<HotCacheOptions> cacheOptions, IOptions<SegmentOptions> options, TimeProvider time)
{
    public const string KeyVersion = "s1";

    /// <summary>
    /// Decoded segments keyed by the cached bytes themselves: the in-process cache hands out the same array until the
    /// entry is replaced, so a hot sealed segment is decoded once, and a replaced entry is never answered from an old
    /// decoding. Segments are immutable, shared by every query that reads them.
    /// </summary>
    private readonly ConditionalWeakTable<byte[], Segment> _decoded = new();

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
        for (var j = 0; j < sealable.Count; j++)
        {
            if (values[j] is { } bytes)
            {
                found[sealable[j]] = Decode(bytes);
            }
        }

        return found;
    }

    public ValueTask StoreAsync(SegmentKey segment, byte[] bytes) =>
        cache.SetAsync(CacheKey(cacheOptions.Value.KeyPrefix, segment), bytes, cacheOptions.Value.ClosedResultTtl);

    /// <summary>Drops the entry of a segment that is open again (keys are fixed-length past the site, so the prefix is exact).</summary>
    public ValueTask ForgetAsync(SegmentKey segment) => cache.RemoveByPrefixAsync(CacheKey(cacheOptions.Value.KeyPrefix, segment));

    /// <summary>Drops every cached segment of <paramref name="site"/>.</summary>
    public ValueTask ForgetSiteAsync(string site) => cache.RemoveByPrefixAsync($"{cacheOptions.Value.KeyPrefix}{KeyVersion}:{site}|");

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

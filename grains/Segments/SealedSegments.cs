using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.IO.Hashing;
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
public sealed class SealedSegments
{
    public const string KeyVersion = "s1";

    public const string MeterName = "Analytics.Segments";

    private readonly IHotCache _cache;
    private readonly IOptions<HotCacheOptions> _cacheOptions;
    private readonly IOptions<SegmentOptions> _options;
    private readonly TimeProvider _time;

    /// <summary>
    /// Decoded segments keyed by the cached bytes themselves: the in-process cache hands out the same array until the
    /// entry is replaced, so a hot sealed segment is decoded once, and a replaced entry is never answered from an old
    /// decoding. Segments are immutable, shared by every query that reads them.
    /// </summary>
    private readonly ConditionalWeakTable<byte[], Segment> _decoded = new();

    /// <summary>
    /// The same decodings by content (hash and length of the sealed bytes), held weakly: a segment grain that read its
    /// sealed form from storage, and the copy of those bytes the hot cache hands out, share one decoding (and so its
    /// cached partials). After a restart the second question over a month decoded every segment a second time.
    /// </summary>
    private readonly ConcurrentDictionary<(ulong Hash, int Length), WeakReference<Segment>> _byContent = new();

    private int _registrations;

    /// <param name="meters">Where the partial cache's size, hits and misses are reported (none in unit tests).</param>
    public SealedSegments(IHotCache cache, IOptions<HotCacheOptions> cacheOptions, IOptions<SegmentOptions> options, TimeProvider time, Serializer serializer, IMeterFactory? meters = null)
    {
        _cache = cache;
        _cacheOptions = cacheOptions;
        _options = options;
        _time = time;
        Partials = new(serializer, options.Value.PartialCacheBytes);
        if (meters?.Create(MeterName) is { } meter)
        {
            meter.CreateObservableGauge("analytics.segments.partial_cache.size", () => Partials.Bytes, unit: "By",
                description: "Estimated memory of the partial answers of sealed segments this silo keeps.");
            meter.CreateObservableCounter("analytics.segments.partial_cache.hits", () => Partials.Hits,
                description: "Partial answers of sealed segments answered from the cache.");
            meter.CreateObservableCounter("analytics.segments.partial_cache.misses", () => Partials.Misses,
                description: "Partial answers of sealed segments scanned (not in the cache).");
        }
    }

    /// <summary>Partial answers of the segments this class decodes, per query shape.</summary>
    public SegmentPartialCache Partials { get; }

    public static string CacheKey(string prefix, SegmentKey segment) => $"{prefix}{KeyVersion}:{segment}";

    /// <summary>The instant from which <paramref name="segment"/> can no longer change, but for late deliveries.</summary>
    public DateTime SealAt(SegmentKey segment) => segment.LatestEventUtc + Sessionizer.SessionTimeout + _options.Value.SealLag;

    public bool IsSealable(SegmentKey segment) => _time.GetUtcNow().UtcDateTime >= SealAt(segment);

    /// <summary>The cached sealed forms of <paramref name="segments"/>, read in one batch, in order; null for open ones and misses.</summary>
    public async Task<Segment?[]> GetAsync(IReadOnlyList<SegmentKey> segments)
    {
        var found = new Segment?[segments.Count];
        var sealable = Enumerable.Range(0, segments.Count).Where(i => IsSealable(segments[i])).ToList();
        if (sealable.Count == 0)
        {
            return found;
        }

        var prefix = _cacheOptions.Value.KeyPrefix;
        var values = await _cache.GetManyAsync([.. sealable.Select(i => CacheKey(prefix, segments[i]))]);
        // Decoded in parallel: after a restart the first question decodes a month of segments (zstd and Arrow), all CPU.
        await Task.WhenAll(Enumerable.Range(0, sealable.Count)
            .Where(j => values[j] is { Length: > 0 })
            .Select(j => Task.Run(() => found[sealable[j]] = Decode(values[j]!))));
        return found;
    }

    public ValueTask StoreAsync(SegmentKey segment, byte[] bytes) =>
        _cache.SetAsync(CacheKey(_cacheOptions.Value.KeyPrefix, segment), bytes, _cacheOptions.Value.ClosedResultTtl);

    /// <summary>
    /// Marks a segment open again: its entry becomes empty, which readers take for a miss. An overwrite, not a removal by
    /// prefix (a keyspace scan in Redis), and like every write it never fails its caller: with the cache unreachable, a
    /// stale entry lasts until the segment seals again and overwrites it.
    /// </summary>
    public ValueTask ForgetAsync(SegmentKey segment) =>
        _cache.SetAsync(CacheKey(_cacheOptions.Value.KeyPrefix, segment), ReadOnlyMemory<byte>.Empty, _cacheOptions.Value.ClosedResultTtl);

    /// <summary>Drops every cached segment of <paramref name="site"/> and this silo's partial answers of them.</summary>
    public ValueTask ForgetSiteAsync(string site)
    {
        Partials.ForgetSite(site);
        return _cache.RemoveByPrefixAsync($"{_cacheOptions.Value.KeyPrefix}{KeyVersion}:{site}|");
    }

    /// <summary>
    /// The decoded form of sealed bytes read from storage (a segment grain's activation), shared with queries that find
    /// the same bytes in the hot cache. Throws on bytes that are not a segment.
    /// </summary>
    public Segment Read(byte[] bytes) => Known(bytes, out var content) ?? Remember(bytes, content, Segment.Read(bytes));

    private Segment? Decode(byte[] bytes)
    {
        if (Known(bytes, out var content) is { } known)
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

        return Remember(bytes, content, segment);
    }

    private Segment? Known(byte[] bytes, out (ulong Hash, int Length) content)
    {
        content = default;
        if (_decoded.TryGetValue(bytes, out var known))
        {
            return known;
        }

        content = (XxHash3.HashToUInt64(bytes), bytes.Length);
        if (_byContent.TryGetValue(content, out var weak) && weak.TryGetTarget(out var shared))
        {
            _decoded.AddOrUpdate(bytes, shared);
            return shared;
        }

        return null;
    }

    private Segment Remember(byte[] bytes, (ulong Hash, int Length) content, Segment segment)
    {
        _decoded.AddOrUpdate(bytes, segment);
        _byContent[content] = new WeakReference<Segment>(segment);
        if (Interlocked.Increment(ref _registrations) % 1024 == 0)
        {
            foreach (var (key, reference) in _byContent)
            {
                if (!reference.TryGetTarget(out _))
                {
                    _byContent.TryRemove(key, out _);
                }
            }
        }

        return segment;
    }
}

using System.Runtime.InteropServices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Analytics.Abstractions.Caching;

/// <summary>
/// The embedded profile's hot cache: process memory, bounded by the bytes it holds. A value that does not fit makes
/// room at once, large values first: <see cref="MemoryCache"/> on its own refuses an entry over its size limit and
/// compacts later, so once a month of sealed segments (megabytes each) had filled it, the query results stored next
/// (a few hundred bytes) were dropped and the same question was computed again.
/// </summary>
public sealed class MemoryHotCache : IHotCache, IDisposable
{
    /// <summary>Values up to this size (query results, not segments) are the last to go.</summary>
    public const int SmallValueBytes = 64 * 1024;

    private readonly MemoryCache _cache;
    private readonly long _limit;

    public MemoryHotCache(IOptions<HotCacheOptions> options)
    {
        _limit = options.Value.MemorySizeLimitBytes;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = _limit, TrackStatistics = true });
    }

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_cache.TryGetValue(key, out byte[]? value) ? value : null);

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var size = Math.Max(1, value.Length);
        if (size > _limit)
        {
            _cache.Remove(key); // can never fit; an older value must not be served in its place
            return ValueTask.CompletedTask;
        }

        // Compact(p) removes a share of the entries (not of the bytes), low priorities and least recently used first: one
        // or two at a time until the value fits.
        while (_cache.GetCurrentStatistics() is { CurrentEstimatedSize: { } held } && held + size > _limit && _cache.Count is > 0 and var count)
        {
            _cache.Compact(Math.Min(1.0, 1.5 / count));
            if (_cache.Count == count)
            {
                break; // nothing removable
            }
        }

        // Kept, not copied (the caller hands it over, IHotCache.SetAsync): after a restart each segment grain stores the
        // sealed bytes it read, and a copy of a month of them was fresh memory the first question had to fault in.
        var kept = MemoryMarshal.TryGetArray(value, out var whole) && whole is { Offset: 0, Array: { } array } && array.Length == value.Length
            ? array
            : value.ToArray();
        _cache.Set(key, kept, new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = timeToLive,
            Size = size,
            Priority = size <= SmallValueBytes ? CacheItemPriority.High : CacheItemPriority.Normal,
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        foreach (var key in _cache.Keys.OfType<string>().Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            _cache.Remove(key);
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose() => _cache.Dispose();
}

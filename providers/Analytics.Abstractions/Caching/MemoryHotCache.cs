using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Analytics.Abstractions.Caching;

/// <summary>The embedded profile's hot cache: process memory, bounded by the bytes it holds.</summary>
public sealed class MemoryHotCache : IHotCache, IDisposable
{
    private readonly MemoryCache _cache;

    public MemoryHotCache(IOptions<HotCacheOptions> options)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.MemorySizeLimitBytes });
    }

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_cache.TryGetValue(key, out byte[]? value) ? value : null);

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        _cache.Set(key, value.ToArray(), new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = timeToLive,
            Size = Math.Max(1, value.Length),
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

namespace Analytics.Abstractions.Caching;

/// <summary>Analytics:Cache:Provider=None: every read misses, every write is dropped.</summary>
public sealed class NoHotCache : IHotCache
{
    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => ValueTask.FromResult<byte[]?>(null);

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}

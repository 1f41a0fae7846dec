namespace Analytics.Abstractions.Caching;

/// <summary>
/// The shared hot-read cache (the seeds' Ignite box): opaque values under string keys, each with a time to live.
/// Redis in the cluster profile, process memory in the embedded one; an Ignite implementation can slot in here.
/// A cache is never the source of truth: callers treat a miss, an error or a timeout alike and fall back to the grains.
/// </summary>
public interface IHotCache
{
    /// <summary>The value under <paramref name="key"/>, or null when absent or expired.</summary>
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The values under <paramref name="keys"/>, in order (null where absent); one round trip where the cache allows.</summary>
    async ValueTask<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        var values = new byte[]?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            values[i] = await GetAsync(keys[i], cancellationToken);
        }

        return values;
    }

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/> until <paramref name="timeToLive"/> has passed. The
    /// caller hands the bytes over and must not change them afterwards: an in-process cache keeps a whole array as it is.
    /// </summary>
    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry whose key starts with <paramref name="prefix"/> (a site's results, when it is erased).</summary>
    ValueTask RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken = default);
}

using Analytics.Gateway.Access;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Ga4;
using Microsoft.Extensions.Caching.Memory;

namespace Analytics.Gateway.Ga4;

/// <summary>
/// GA4 data streams as ingestion needs them: which site a measurement id belongs to, and whether an API secret is a live
/// one of that site. Answers (misses too) are kept for <see cref="SiteDirectory.CacheLifetime"/>, so a revocation or a
/// new measurement id is seen by every gateway within that time, and at once by the one that made the change.
/// </summary>
public sealed class Ga4Streams(IGrainFactory grains) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    /// <summary>The site of a measurement id, in any case (sites store it upper-case, as GA4 shows it).</summary>
    public ValueTask<string?> FindSiteAsync(string measurementId, CancellationToken cancellationToken)
    {
        var id = Normalize(measurementId);
        return CachedAsync("id:" + id, () => grains.GetGrain<IMeasurementIdRegistryGrain>(0).FindSiteAsync(id), cancellationToken);
    }

    public static string Normalize(string measurementId) => measurementId.Trim().ToUpperInvariant();

    /// <summary>True when <paramref name="secret"/> is an unrevoked API secret of <paramref name="site"/>.</summary>
    public async ValueTask<bool> IsValidSecretAsync(string site, string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 256)
        {
            return false;
        }

        var hash = ApiKeys.Hash(secret);
        var owner = await CachedAsync("secret:" + hash, async () =>
            await grains.GetGrain<IMpSecretRegistryGrain>(0).FindAsync(hash) is { Revoked: false } info ? info.Site : null, cancellationToken);
        return owner == site;
    }

    /// <summary>After a change made here (a site's measurement id, a revoked secret): forget every cached answer.</summary>
    public void Forget() => _cache.Clear();

    public void Dispose() => _cache.Dispose();

    private async ValueTask<string?> CachedAsync(string key, Func<Task<string?>> find, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(key, out string? value))
        {
            return value;
        }

        value = await find().WaitAsync(cancellationToken);
        _cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = SiteDirectory.CacheLifetime, Size = 1 });
        return value;
    }
}

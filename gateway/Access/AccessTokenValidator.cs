using System.Collections.Frozen;
using Analytics.GrainInterfaces.Access;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Access;

/// <summary>
/// Turns an API key or a share slug into what it grants: configured key hashes first, then the registries' grains.
/// Results (a miss too) are kept in memory for <see cref="AccessOptions.ValidationCacheDuration"/> so a query does not pay
/// a grain call each time; <see cref="Forget"/> drops them at once after a revocation made here.
/// </summary>
public sealed class AccessTokenValidator : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly AccessOptions _options;
    private readonly FrozenDictionary<string, AccessGrant> _configured;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public AccessTokenValidator(IGrainFactory grains, TimeProvider time, IOptions<AccessOptions> options)
    {
        _grains = grains;
        _time = time;
        _options = options.Value;
        _configured = _options.ApiKeys.ToFrozenDictionary(
            k => k.Hash.ToLowerInvariant(),
            k => AccessGrant.Key(k.Name, [.. k.Sites.Select(s => s.Trim().ToLowerInvariant())], k.Permissions),
            StringComparer.Ordinal);
    }

    public ValueTask<AccessGrant?> ValidateKeyAsync(string key)
    {
        var hash = ApiKeys.Hash(key);
        return _configured.TryGetValue(hash, out var grant)
            ? ValueTask.FromResult<AccessGrant?>(grant)
            : CachedAsync("key:" + hash, async () =>
                await _grains.GetGrain<IApiKeyRegistryGrain>(0).UseAsync(hash, _time.GetUtcNow().UtcDateTime) is { Revoked: false } info
                    ? AccessGrant.Key(info.Name, info.Sites, info.Permissions)
                    : null);
    }

    /// <summary>A share link grants reading its one site, nothing else.</summary>
    public ValueTask<AccessGrant?> ValidateShareAsync(string slug) =>
        CachedAsync("share:" + ApiKeys.Hash(slug), async () =>
            await _grains.GetGrain<IShareLinkRegistryGrain>(0).FindAsync(ApiKeys.Hash(slug)) is { } link
                ? new AccessGrant("share:" + link.Site, [link.Site], [AccessPermissions.StatsRead])
                : null);

    /// <summary>After a revocation: forget every cached result, so this process rejects the revoked credential at once.</summary>
    public void Forget() => _cache.Clear();

    public void Dispose() => _cache.Dispose();

    private async ValueTask<AccessGrant?> CachedAsync(string cacheKey, Func<Task<AccessGrant?>> validate)
    {
        if (_cache.TryGetValue(cacheKey, out AccessGrant? grant))
        {
            return grant;
        }

        grant = await validate();
        _cache.Set(cacheKey, grant, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _options.ValidationCacheDuration, Size = 1 });
        return grant;
    }
}

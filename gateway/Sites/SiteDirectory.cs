using System.Text.RegularExpressions;
using Analytics.GrainInterfaces.Sites;
using Microsoft.Extensions.Caching.Memory;

namespace Analytics.Gateway.Sites;

/// <summary>
/// A domain's site: its key (the domain itself, or what the registry's aliases say for renamed sites), then that site's
/// settings, accepted when the domain is the site's domain or its former one within the transition period.
/// </summary>
public sealed partial class SiteDirectory(IGrainFactory grains, IMemoryCache cache, TimeProvider time) : ISiteDirectory
{
    private const string AliasesKey = "site-aliases";

    /// <summary>How long another gateway's registration or settings change may take to be seen here.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    public async ValueTask<SiteSettings?> FindAsync(string domain, CancellationToken cancellationToken)
    {
        // Not a hostname (empty, blank, odd characters): no site can have it, and no grain is asked about it.
        if (!IsDomain(Normalize(domain)))
        {
            return null;
        }

        var key = Key(domain);
        if (cache.TryGetValue(key, out SiteSettings? settings))
        {
            return settings;
        }

        var normalized = Normalize(domain);
        var siteKey = (await AliasesAsync(cancellationToken)).GetValueOrDefault(normalized) ?? normalized;
        settings = await grains.GetGrain<ISiteGrain>(siteKey).GetSettingsAsync().WaitAsync(cancellationToken);
        // A key whose site was renamed away answers for its domains only (the former one for a while), never for its key.
        if (settings is not null && !settings.IsNamedBy(normalized, time.GetUtcNow().UtcDateTime))
        {
            settings = null;
        }

        cache.Set(key, settings, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheLifetime, Size = 1 });
        return settings;
    }

    public void Invalidate(string domain)
    {
        cache.Remove(Key(domain));
        cache.Remove(AliasesKey);
    }

    /// <summary>The registry's aliases (few: renamed sites only), cached like the sites.</summary>
    private async ValueTask<IReadOnlyDictionary<string, string>> AliasesAsync(CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(AliasesKey, out IReadOnlyDictionary<string, string>? aliases) && aliases is not null)
        {
            return aliases;
        }

        aliases = await grains.GetGrain<ISiteRegistryGrain>(0).GetAliasesAsync().WaitAsync(cancellationToken);
        cache.Set(AliasesKey, aliases, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheLifetime, Size = 1 });
        return aliases;
    }

    public static string Normalize(string domain) => domain.Trim().ToLowerInvariant();

    /// <summary>A hostname such as example.com; also what an API key's site scope may list.</summary>
    public static bool IsDomain(string domain) => DomainPattern().IsMatch(domain);

    private static string Key(string domain) => "site:" + Normalize(domain);

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex DomainPattern();
}

using System.Text.RegularExpressions;
using Analytics.GrainInterfaces.Sites;
using Microsoft.Extensions.Caching.Memory;

namespace Analytics.Gateway.Sites;

public sealed partial class SiteDirectory(IGrainFactory grains, IMemoryCache cache) : ISiteDirectory
{
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

        settings = await grains.GetGrain<ISiteGrain>(Normalize(domain)).GetSettingsAsync().WaitAsync(cancellationToken);
        cache.Set(key, settings, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheLifetime, Size = 1 });
        return settings;
    }

    public void Invalidate(string domain) => cache.Remove(Key(domain));

    public static string Normalize(string domain) => domain.Trim().ToLowerInvariant();

    /// <summary>A hostname such as example.com; also what an API key's site scope may list.</summary>
    public static bool IsDomain(string domain) => DomainPattern().IsMatch(domain);

    private static string Key(string domain) => "site:" + Normalize(domain);

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex DomainPattern();
}

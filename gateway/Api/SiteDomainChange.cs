using Analytics.Gateway.Access;
using Analytics.Gateway.Ga4;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Api;

/// <summary>
/// Gives a registered site a new domain, as Plausible's Site.Domain.change does: the domain must be free (no site's
/// domain, nor another site's former domain in its transition); the site keeps its key, so its data, goals, settings,
/// keys, share links and GA4 secrets stay reachable under the new domain, and the former one still names it for
/// <see cref="SiteDomains.TransitionPeriod"/>. Changing back to the former domain within it is allowed.
/// </summary>
public sealed class SiteDomainChange(IGrainFactory grains, ISiteDirectory directory, Ga4Streams streams, AccessTokenValidator validator)
{
    public const string Taken = "This domain cannot be registered. Perhaps one of your colleagues registered it?";

    /// <summary>The renamed site, or the error (Plausible's words; the caller prefixes "domain: " where Plausible does).</summary>
    public async Task<(SiteSettings? Site, string? Error)> ChangeAsync(SiteSettings site, string requested, CancellationToken cancellationToken)
    {
        var domain = SiteDirectory.Normalize(requested);
        if (!SiteDirectory.IsDomain(domain))
        {
            return (null, "must be a hostname such as example.com (letters, digits, dots, hyphens; at most 253 characters)");
        }

        if (domain == site.Domain)
        {
            return (null, "New domain must be different than the current one");
        }

        if (await directory.FindAsync(domain, cancellationToken) is { } holder && holder.SiteKey != site.SiteKey)
        {
            return (null, Taken);
        }

        if (await grains.GetGrain<ISiteGrain>(site.SiteKey).ChangeDomainAsync(domain) is not { } changed)
        {
            return (null, "Site could not be found");
        }

        // Every name the site had or has: the one before the former stops naming it now.
        foreach (var name in new[] { site.Domain, site.FormerDomain, domain }.OfType<string>())
        {
            directory.Invalidate(name);
        }

        streams.Forget();
        // Keys and share links now name the new domain: this process stops trusting its remembered grants at once.
        validator.Forget();
        return (changed, null);
    }
}

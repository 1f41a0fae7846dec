using System.Security.Claims;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Access;

/// <summary>
/// A site named by a caller, with the credential's scope checked: the scope names the domain asked for, or the site it
/// names (a renamed site's keys were renamed with it; a key naming the former domain, such as a configured one, still
/// covers it during the transition). Out of scope is the same answer whether the site exists or not.
/// </summary>
public static class SiteAccess
{
    public static async ValueTask<(SiteSettings? Site, bool Forbidden)> FindAsync(
        ClaimsPrincipal user, string domain, ISiteDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var normalized = SiteDirectory.Normalize(domain);
        var site = SiteDirectory.IsDomain(normalized) ? await directory.FindAsync(normalized, cancellationToken) : null;
        return user.CanAccessSite(normalized) || (site is not null && Covers(user, site, time.GetUtcNow().UtcDateTime)) ? (site, false) : (null, true);
    }

    private static bool Covers(ClaimsPrincipal user, SiteSettings site, DateTime now) =>
        user.CanAccessSite(site.Domain) || (site.FormerDomain is { } former && site.IsNamedBy(former, now) && user.CanAccessSite(former));
}

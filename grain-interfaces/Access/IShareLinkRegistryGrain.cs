using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Access;

/// <summary>Every share link (a single grain, key 0), indexed by the SHA-256 of its slug; a revoked link is removed.</summary>
[Alias("IShareLinkRegistryGrain")]
public interface IShareLinkRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Create")]
    Task CreateAsync(string slugHash, ShareLink link);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<ShareLink>> ListAsync(string site);

    [Alias("Find"), ReadOnly]
    Task<ShareLink?> FindAsync(string slugHash);

    /// <summary>Removes the site's link with this id, or whose slug has this hash; false when there is none.</summary>
    [Alias("Revoke")]
    Task<bool> RevokeAsync(string site, string idOrSlugHash);

    /// <summary>The site's links now name its new domain (a domain change); their slugs stay valid.</summary>
    [Alias("RenameSite")]
    Task RenameSiteAsync(string from, string to);

    /// <summary>Removes every link to the site (the site is being erased); returns how many.</summary>
    [Alias("ForgetSite")]
    Task<int> ForgetSiteAsync(string site);
}

using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Access;

/// <summary>Every share link (a single grain, key 0); a revoked link is removed.</summary>
[Alias("IShareLinkRegistryGrain")]
public interface IShareLinkRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Create")]
    Task CreateAsync(ShareLink link);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<ShareLink>> ListAsync(string site);

    [Alias("Find"), ReadOnly]
    Task<ShareLink?> FindAsync(string slug);

    /// <summary>Removes the link; false when the site has no link with this slug.</summary>
    [Alias("Revoke")]
    Task<bool> RevokeAsync(string site, string slug);
}

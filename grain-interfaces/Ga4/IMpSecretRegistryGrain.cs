using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Ga4;

/// <summary>Every Measurement Protocol API secret (a single grain, key 0), indexed by the SHA-256 of the secret.</summary>
[Alias("IMpSecretRegistryGrain")]
public interface IMpSecretRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Create")]
    Task CreateAsync(string secretHash, MpSecretInfo secret);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<MpSecretInfo>> ListAsync(string site);

    /// <summary>Marks the site's secret revoked; false when the site has no secret with this id.</summary>
    [Alias("Revoke")]
    Task<bool> RevokeAsync(string site, string id);

    /// <summary>The secret with this hash (revoked ones included), or null.</summary>
    [Alias("Find"), ReadOnly]
    Task<MpSecretInfo?> FindAsync(string secretHash);

    /// <summary>The site's secrets now name its new domain (a domain change); they stay valid.</summary>
    [Alias("RenameSite")]
    Task RenameSiteAsync(string from, string to);

    /// <summary>Forgets every secret of a deleted site.</summary>
    [Alias("RemoveSite")]
    Task RemoveSiteAsync(string site);
}

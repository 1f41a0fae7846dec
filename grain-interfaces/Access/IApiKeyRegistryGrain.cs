using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Access;

/// <summary>Every API key created through the API (a single grain, key 0), indexed by the SHA-256 of the key.</summary>
[Alias("IApiKeyRegistryGrain")]
public interface IApiKeyRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Create")]
    Task CreateAsync(string keyHash, ApiKeyInfo key);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<ApiKeyInfo>> ListAsync();

    /// <summary>Marks the key revoked; false when no key has this id.</summary>
    [Alias("Revoke")]
    Task<bool> RevokeAsync(string id);

    /// <summary>The key with this hash (revoked ones included), recording it as used at <paramref name="usedAt"/>.</summary>
    [Alias("Use")]
    Task<ApiKeyInfo?> UseAsync(string keyHash, DateTime usedAt);

    /// <summary>Keys whose scope names the site's former domain name its new one (a domain change).</summary>
    [Alias("RenameSite")]
    Task RenameSiteAsync(string from, string to);

    /// <summary>
    /// The site is being erased: keys covering only it are deleted, the others no longer list it (keys for "*" stay);
    /// returns how many keys changed.
    /// </summary>
    [Alias("ForgetSite")]
    Task<int> ForgetSiteAsync(string site);
}

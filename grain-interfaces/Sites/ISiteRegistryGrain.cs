using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Sites;

/// <summary>
/// The list of registered sites by domain (a single grain, key 0): what the site picker and the API list show, and the
/// domains whose site key differs from the domain (renamed sites, their former domains, a domain registered again while
/// its old key was in use), which the site directory resolves.
/// </summary>
[Alias("ISiteRegistryGrain")]
public interface ISiteRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Lists the site's domain; <paramref name="key"/> is its site key.</summary>
    [Alias("Add")]
    Task AddAsync(string domain, string key);

    /// <summary>The site of <paramref name="key"/> is now named <paramref name="to"/>; <paramref name="from"/> stays resolvable (transition).</summary>
    [Alias("Rename")]
    Task RenameAsync(string key, string from, string to);

    /// <summary>Forgets the site: its domain and every alias to its key.</summary>
    [Alias("Remove")]
    Task RemoveAsync(string domain, string key);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> ListAsync();

    /// <summary>Domain → site key, for the domains whose key is not the domain itself.</summary>
    [Alias("Aliases"), ReadOnly]
    Task<IReadOnlyDictionary<string, string>> GetAliasesAsync();
}

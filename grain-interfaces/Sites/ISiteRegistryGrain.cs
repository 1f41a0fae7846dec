using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Sites;

/// <summary>The list of registered sites (a single grain, key 0): what the site picker and the API list show.</summary>
[Alias("ISiteRegistryGrain")]
public interface ISiteRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task AddAsync(string domain);

    [Alias("Remove")]
    Task RemoveAsync(string domain);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> ListAsync();
}

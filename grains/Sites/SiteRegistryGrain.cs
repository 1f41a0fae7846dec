using Analytics.GrainInterfaces.Sites;

namespace Analytics.Grains.Sites;

public sealed class SiteRegistryGrain(
    [PersistentState("sites", StorageNames.Analytics)] IPersistentState<SiteRegistryState> state)
    : Grain, ISiteRegistryGrain
{
    public async Task AddAsync(string domain, string key)
    {
        var added = state.State.Domains.Add(domain);
        var aliased = domain == key ? state.State.Aliases.Remove(domain) : !state.State.Aliases.TryGetValue(domain, out var current) || current != key;
        if (domain != key)
        {
            state.State.Aliases[domain] = key;
        }

        if (added || aliased)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RenameAsync(string key, string from, string to)
    {
        state.State.Domains.Remove(from);
        state.State.Domains.Add(to);
        // An alias of an earlier change (two changes ago) no longer names the site: Plausible keeps one former domain.
        foreach (var stale in state.State.Aliases.Where(a => a.Value == key && a.Key != from).Select(a => a.Key).ToList())
        {
            state.State.Aliases.Remove(stale);
        }

        foreach (var domain in new[] { from, to }.Where(d => d != key))
        {
            state.State.Aliases[domain] = key;
        }

        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string domain, string key)
    {
        var removed = state.State.Domains.Remove(domain);
        foreach (var alias in state.State.Aliases.Where(a => a.Value == key).Select(a => a.Key).ToList())
        {
            removed |= state.State.Aliases.Remove(alias);
        }

        if (removed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Domains]);

    public Task<IReadOnlyDictionary<string, string>> GetAliasesAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(state.State.Aliases, StringComparer.Ordinal));
}

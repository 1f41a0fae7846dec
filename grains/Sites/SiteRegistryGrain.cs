using Analytics.GrainInterfaces.Sites;

namespace Analytics.Grains.Sites;

public sealed class SiteRegistryGrain(
    [PersistentState("sites", StorageNames.Analytics)] IPersistentState<SiteRegistryState> state)
    : Grain, ISiteRegistryGrain
{
    public async Task AddAsync(string domain)
    {
        if (state.State.Domains.Add(domain))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string domain)
    {
        if (state.State.Domains.Remove(domain))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Domains]);
}

using Analytics.GrainInterfaces.Access;

namespace Analytics.Grains.Access;

public sealed class ShareLinkRegistryGrain(
    [PersistentState("sharelinks", StorageNames.Analytics)] IPersistentState<ShareLinkRegistryState> state)
    : Grain, IShareLinkRegistryGrain
{
    public async Task CreateAsync(ShareLink link)
    {
        state.State.Links[link.Slug] = link;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ShareLink>> ListAsync(string site) =>
        Task.FromResult<IReadOnlyList<ShareLink>>([.. state.State.Links.Values.Where(l => l.Site == site).OrderBy(l => l.CreatedAt)]);

    public Task<ShareLink?> FindAsync(string slug) => Task.FromResult(state.State.Links.GetValueOrDefault(slug));

    public async Task<bool> RevokeAsync(string site, string slug)
    {
        if (!state.State.Links.TryGetValue(slug, out var link) || link.Site != site)
        {
            return false;
        }

        state.State.Links.Remove(slug);
        await state.WriteStateAsync();
        return true;
    }
}

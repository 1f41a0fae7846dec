using System.Security.Cryptography;
using Analytics.GrainInterfaces.Access;

namespace Analytics.Grains.Access;

public sealed class ShareLinkRegistryGrain(
    [PersistentState("sharelinks", StorageNames.Analytics)] IPersistentState<ShareLinkRegistryState> state)
    : Grain, IShareLinkRegistryGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // State written before slugs were hashed is keyed by the plaintext slug: rekey it by the hash, once.
        var plain = state.State.Links.Where(l => l.Key.Length != CredentialHash.Length).ToList();
        foreach (var (slug, link) in plain)
        {
            state.State.Links.Remove(slug);
            state.State.Links[CredentialHash.Of(slug)] = link with { Id = link.Id ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };
        }

        if (plain.Count > 0)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task CreateAsync(string slugHash, ShareLink link)
    {
        state.State.Links[slugHash] = link;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ShareLink>> ListAsync(string site) =>
        Task.FromResult<IReadOnlyList<ShareLink>>([.. state.State.Links.Values.Where(l => l.Site == site).OrderBy(l => l.CreatedAt)]);

    public Task<ShareLink?> FindAsync(string slugHash) => Task.FromResult(state.State.Links.GetValueOrDefault(slugHash));

    public async Task<bool> RevokeAsync(string site, string idOrSlugHash)
    {
        if (state.State.Links.FirstOrDefault(l => l.Value.Site == site && (l.Key == idOrSlugHash || l.Value.Id == idOrSlugHash)) is not { Value: not null } entry)
        {
            return false;
        }

        state.State.Links.Remove(entry.Key);
        await state.WriteStateAsync();
        return true;
    }

    public async Task RenameSiteAsync(string from, string to)
    {
        var renamed = state.State.Links.Where(l => l.Value.Site == from).ToList();
        foreach (var (hash, link) in renamed)
        {
            state.State.Links[hash] = link with { Site = to };
        }

        if (renamed.Count > 0)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<int> ForgetSiteAsync(string site)
    {
        var removed = state.State.Links.Where(l => l.Value.Site == site).Select(l => l.Key).ToList();
        foreach (var hash in removed)
        {
            state.State.Links.Remove(hash);
        }

        if (removed.Count > 0)
        {
            await state.WriteStateAsync();
        }

        return removed.Count;
    }
}

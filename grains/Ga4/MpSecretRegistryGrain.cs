using Analytics.GrainInterfaces.Ga4;

namespace Analytics.Grains.Ga4;

public sealed class MpSecretRegistryGrain(
    [PersistentState("mpsecrets", StorageNames.Analytics)] IPersistentState<MpSecretRegistryState> state)
    : Grain, IMpSecretRegistryGrain
{
    public async Task CreateAsync(string secretHash, MpSecretInfo secret)
    {
        state.State.Secrets[secretHash] = secret;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<MpSecretInfo>> ListAsync(string site) =>
        Task.FromResult<IReadOnlyList<MpSecretInfo>>([.. state.State.Secrets.Values.Where(s => s.Site == site).OrderBy(s => s.CreatedAt)]);

    public async Task<bool> RevokeAsync(string site, string id)
    {
        if (state.State.Secrets.FirstOrDefault(s => s.Value.Id == id && s.Value.Site == site) is not { Value: { } secret } entry)
        {
            return false;
        }

        state.State.Secrets[entry.Key] = secret with { Revoked = true };
        await state.WriteStateAsync();
        return true;
    }

    public Task<MpSecretInfo?> FindAsync(string secretHash) => Task.FromResult(state.State.Secrets.GetValueOrDefault(secretHash));

    public async Task RenameSiteAsync(string from, string to)
    {
        var renamed = state.State.Secrets.Where(s => s.Value.Site == from).ToList();
        foreach (var (hash, secret) in renamed)
        {
            state.State.Secrets[hash] = secret with { Site = to };
        }

        if (renamed.Count > 0)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveSiteAsync(string site)
    {
        var hashes = state.State.Secrets.Where(s => s.Value.Site == site).Select(s => s.Key).ToList();
        foreach (var hash in hashes)
        {
            state.State.Secrets.Remove(hash);
        }

        if (hashes.Count > 0)
        {
            await state.WriteStateAsync();
        }
    }
}

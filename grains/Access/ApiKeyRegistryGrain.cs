using Analytics.GrainInterfaces.Access;

namespace Analytics.Grains.Access;

public sealed class ApiKeyRegistryGrain(
    [PersistentState("apikeys", StorageNames.Analytics)] IPersistentState<ApiKeyRegistryState> state)
    : Grain, IApiKeyRegistryGrain
{
    /// <summary>Last-used is informational: written at most this often per key, so validation does not write state each time.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task CreateAsync(string keyHash, ApiKeyInfo key)
    {
        state.State.Keys[keyHash] = key;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ApiKeyInfo>> ListAsync() =>
        Task.FromResult<IReadOnlyList<ApiKeyInfo>>([.. state.State.Keys.Values.OrderBy(k => k.CreatedAt)]);

    public async Task<bool> RevokeAsync(string id)
    {
        if (state.State.Keys.FirstOrDefault(k => k.Value.Id == id) is not { Value: { } key } entry)
        {
            return false;
        }

        state.State.Keys[entry.Key] = key with { Revoked = true };
        await state.WriteStateAsync();
        return true;
    }

    public async Task<ApiKeyInfo?> UseAsync(string keyHash, DateTime usedAt)
    {
        if (!state.State.Keys.TryGetValue(keyHash, out var key))
        {
            return null;
        }

        if (!key.Revoked && (key.LastUsedAt is not { } last || usedAt - last >= LastUsedResolution))
        {
            key = state.State.Keys[keyHash] = key with { LastUsedAt = usedAt };
            await state.WriteStateAsync();
        }

        return key;
    }

    public async Task RenameSiteAsync(string from, string to)
    {
        var renamed = state.State.Keys.Where(k => k.Value.Sites.Contains(from)).ToList();
        foreach (var (hash, key) in renamed)
        {
            state.State.Keys[hash] = key with { Sites = [.. key.Sites.Select(s => s == from ? to : s).Distinct()] };
        }

        if (renamed.Count > 0)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<int> ForgetSiteAsync(string site)
    {
        var changed = state.State.Keys.Where(k => k.Value.Sites.Contains(site)).ToList();
        foreach (var (hash, key) in changed)
        {
            if (key.Sites.Count == 1)
            {
                state.State.Keys.Remove(hash);
            }
            else
            {
                state.State.Keys[hash] = key with { Sites = [.. key.Sites.Where(s => s != site)] };
            }
        }

        if (changed.Count > 0)
        {
            await state.WriteStateAsync();
        }

        return changed.Count;
    }
}

using Analytics.GrainInterfaces.Access;

namespace Analytics.Grains.Access;

public sealed class AdminSessionRegistryGrain(
    [PersistentState("adminsessions", StorageNames.Analytics)] IPersistentState<AdminSessionRegistryState> state,
    TimeProvider time)
    : Grain, IAdminSessionRegistryGrain
{
    public async Task EndAsync(string sessionId, DateTime cookieExpiresAt)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // Sessions whose cookies have expired need no remembering: the list stays as short as the live logouts.
        foreach (var expired in state.State.Ended.Where(e => e.Value <= now).Select(e => e.Key).ToList())
        {
            state.State.Ended.Remove(expired);
        }

        state.State.Ended[sessionId] = cookieExpiresAt;
        await state.WriteStateAsync();
    }

    public Task<bool> IsEndedAsync(string sessionId) => Task.FromResult(state.State.Ended.ContainsKey(sessionId));
}

using Analytics.GrainInterfaces.Access;

namespace Analytics.Grains.Access;

public sealed class AdminAccountGrain(
    [PersistentState("admin", StorageNames.Analytics)] IPersistentState<AdminAccountState> state)
    : Grain, IAdminAccountGrain
{
    public Task<string?> GetPasswordHashAsync() => Task.FromResult(state.State.PasswordHash);

    public async Task<string> InitializeAsync(string passwordHash)
    {
        if (state.State.PasswordHash is { } stored)
        {
            return stored;
        }

        state.State.PasswordHash = passwordHash;
        await state.WriteStateAsync();
        return passwordHash;
    }
}

using System.Security.Cryptography;
using Analytics.GrainInterfaces.Sessions;

namespace Analytics.Grains.Sessions;

public sealed class SaltGrain(
    [PersistentState("salt", StorageNames.Analytics)] IPersistentState<SaltState> state)
    : Grain, ISaltGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Salt is null)
        {
            state.State.Salt = RandomNumberGenerator.GetBytes(32);
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public Task<byte[]> GetSaltAsync() => Task.FromResult(state.State.Salt!);
}

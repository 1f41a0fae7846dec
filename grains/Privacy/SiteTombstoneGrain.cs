using Analytics.GrainInterfaces.Privacy;

namespace Analytics.Grains.Privacy;

public sealed class SiteTombstoneGrain(
    [PersistentState("tombstone", StorageNames.Analytics)] IPersistentState<SiteTombstoneState> state)
    : Grain, ISiteTombstoneGrain
{
    public Task<bool> IsErasedAsync() => Task.FromResult(state.State.Erased);

    public async Task MarkAsync()
    {
        if (!state.State.Erased)
        {
            state.State.Erased = true;
            await state.WriteStateAsync();
        }
    }

    public async Task ClearAsync()
    {
        if (state.State.Erased)
        {
            await state.ClearStateAsync();
        }
    }
}

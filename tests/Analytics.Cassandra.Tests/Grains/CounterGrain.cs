namespace Analytics.Cassandra.Tests.Grains;

public sealed class CounterGrain([PersistentState("counter", CounterGrain.StorageName)] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public const string StorageName = "cassandra";

    public async Task<int> Add(int amount)
    {
        state.State.Total += amount;
        state.State.History.Add($"+{amount}");
        await state.WriteStateAsync();
        return state.State.Total;
    }

    public Task<CounterState> Get() => Task.FromResult(state.State);

    public Task Clear() => state.ClearStateAsync();
}

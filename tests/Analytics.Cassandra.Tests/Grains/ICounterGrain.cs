namespace Analytics.Cassandra.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Add(int amount);

    Task<CounterState> Get();

    Task Clear();
}

namespace Analytics.Kafka.Tests;

public interface IEventCounterGrain : IGrainWithStringKey
{
    /// <summary>Distinct event ids seen on this grain's stream.</summary>
    Task<int> GetCountAsync();
}

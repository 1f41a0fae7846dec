namespace Analytics.Kafka.Tests;

/// <summary>A lane's stand-in, keyed by the partition number as the lane stream is.</summary>
public interface IEventCounterGrain : IGrainWithStringKey
{
    /// <summary>What the lane applied; <see cref="LaneCounts.Events"/> counts the event ids starting with <paramref name="idPrefix"/>.</summary>
    Task<LaneCounts> GetCountsAsync(string idPrefix);
}

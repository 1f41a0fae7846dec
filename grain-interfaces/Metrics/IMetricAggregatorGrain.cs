using Analytics.GrainInterfaces.Segments;

namespace Analytics.GrainInterfaces.Metrics;

/// <summary>
/// The per-silo pre-aggregator (a stateless worker, key 0): gathers segment appends from many visitors and hands each
/// touched segment its share in one call about once a flush interval, so a hot site does not funnel every event
/// through its segment one call at a time.
/// </summary>
[Alias("IMetricAggregatorGrain")]
public interface IMetricAggregatorGrain : IGrainWithIntegerKey
{
    /// <summary>Completes when every append is applied and durable in its segment.</summary>
    [Alias("Add")]
    Task AddAsync(IReadOnlyList<RoutedAppend> appends);
}

namespace Analytics.GrainInterfaces.Metrics;

/// <summary>
/// The per-silo pre-aggregator (a stateless worker, key 0): gathers contributions from many visitors and hands them to
/// each bucket in one call about once a flush interval, so a hot site does not funnel every event through one grain.
/// </summary>
[Alias("IMetricAggregatorGrain")]
public interface IMetricAggregatorGrain : IGrainWithIntegerKey
{
    /// <summary>Completes when every contribution is applied and saved by its buckets.</summary>
    [Alias("Add")]
    Task AddAsync(IReadOnlyList<BucketContribution> contributions);

    /// <summary>Tells the buckets that these contributions can no longer be replayed.</summary>
    [Alias("Forget"), Orleans.Concurrency.OneWay]
    Task ForgetAsync(IReadOnlyList<BucketContribution> contributions);
}

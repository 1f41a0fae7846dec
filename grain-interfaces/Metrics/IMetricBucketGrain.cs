using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Metrics;

/// <summary>One time bucket of one site (key: <see cref="BucketKey"/>): counters, unique-visitor sketch, bounded breakdowns.</summary>
[Alias("IMetricBucketGrain")]
public interface IMetricBucketGrain : IGrainWithStringKey
{
    /// <summary>Applies contributions not applied before and saves the bucket before returning.</summary>
    [Alias("Apply")]
    Task ApplyAsync(IReadOnlyList<BucketContribution> contributions);

    /// <summary>Drops remembered ids whose visitor has saved its own state: they can no longer be replayed.</summary>
    [Alias("Forget"), OneWay]
    Task ForgetAsync(IReadOnlyList<ContributionId> ids);

    [Alias("GetSlice"), ReadOnly]
    Task<BucketSlice> GetSliceAsync(string? dimension);
}

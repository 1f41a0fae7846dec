namespace Analytics.Grains.Metrics;

/// <summary>
/// The re-aggregation's door into a bucket grain (same grain as <c>IMetricBucketGrain</c>, same key). It lives here, not
/// in grain-interfaces, because it carries the grain's own state type.
/// </summary>
[Alias("IMetricBucketRebuildGrain")]
public interface IMetricBucketRebuildGrain : IGrainWithStringKey
{
    /// <summary>
    /// Replaces the bucket's state with one rebuilt from the raw log and saves it. Going through the activation (rather
    /// than writing storage behind its back) keeps the etag chain intact and leaves no stale copy in memory. The rebuilt
    /// state has no in-flight ids, so rebuild closed ranges, not the minutes still being counted.
    /// </summary>
    [Alias("Rebuild")]
    Task RebuildAsync(MetricBucketState rebuilt);
}

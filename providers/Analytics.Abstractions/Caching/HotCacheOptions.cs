using System.ComponentModel.DataAnnotations;

namespace Analytics.Abstractions.Caching;

/// <summary>The hot-read cache (Analytics:Cache): the closed query results and closed metric buckets kept in it.</summary>
public sealed class HotCacheOptions
{
    public const string SectionName = "Analytics:Cache";

    /// <summary>None, Memory or Redis; unset means the profile's default (embedded: Memory, cluster gateway: Redis).</summary>
    public HotCacheProvider? Provider { get; set; }

    /// <summary>Prepended to every key, so several deployments can share one Redis.</summary>
    [Required] public string KeyPrefix { get; set; } = "analytics:";

    /// <summary>
    /// How long after its end a date range or a bucket counts as closed, so it may be cached: the session timeout (30 min,
    /// sessions are attributed to their start bucket) plus Kafka and flush lag, with margin. See <see cref="ClosedPeriods"/>.
    /// </summary>
    public TimeSpan ClosedAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a closed range's result, or a closed bucket, is served from the cache.</summary>
    public TimeSpan ClosedResultTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>One cache call's limit; slower calls count as failures and the query goes to the grains.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Failed calls among those sampled that open the circuit breaker.</summary>
    [Range(0.01, 1.0)] public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(2, int.MaxValue)] public int BreakerMinimumThroughput { get; set; } = 4;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>While open, the cache is not asked at all.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The in-process cache's bound, in bytes of cached values.</summary>
    [Range(1024, long.MaxValue)] public long MemorySizeLimitBytes { get; set; } = 64L * 1024 * 1024;
}

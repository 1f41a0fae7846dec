namespace Analytics.Redis;

/// <summary>Where <see cref="RedisHotCache"/> connects (Analytics:Cache, beside the technology-free cache settings).</summary>
public sealed class RedisHotCacheOptions
{
    public const string SectionName = "Analytics:Cache";

    /// <summary>StackExchange.Redis configuration string; unset means Analytics:Cluster:RedisConnectionString.</summary>
    public string? RedisConnectionString { get; set; }
}

using Analytics.Abstractions.Caching;
using Analytics.Abstractions.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Analytics.Redis;

public static class ServiceCollectionRedisExtensions
{
    /// <summary>Makes <see cref="HotCacheProvider.Redis"/> available to AddHotCache: a <see cref="RedisHotCache"/> per process.</summary>
    public static IServiceCollection AddRedisHotCache(this IServiceCollection services)
    {
        services.AddOptions<RedisHotCacheOptions>().BindConfiguration(RedisHotCacheOptions.SectionName);
        services.AddKeyedSingleton<HotCacheFactory>(HotCacheProvider.Redis, (_, _) => sp => new RedisHotCache(
            sp.GetRequiredService<IOptions<RedisHotCacheOptions>>().Value.RedisConnectionString
            ?? sp.GetRequiredService<IConfiguration>().GetSection(ClusterProfileOptions.SectionName).Get<ClusterProfileOptions>()?.RedisConnectionString
            ?? new ClusterProfileOptions().RedisConnectionString));
        return services;
    }

    /// <summary>
    /// The "redis" check on the membership Redis. Degraded, not unhealthy: silos and clients keep the membership view they
    /// have and the cache falls back to the grains, so the process still serves.
    /// </summary>
    public static IHealthChecksBuilder AddRedisHealthCheck(this IHealthChecksBuilder checks, string connectionString) =>
        checks.AddCheck("redis", new RedisHealthCheck(connectionString), HealthStatus.Degraded);
}

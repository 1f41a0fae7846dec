using Analytics.Gateway.Hosting;
using Analytics.GrainInterfaces.Caching;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Caching;

public static class ServiceCollectionHotCacheExtensions
{
    /// <summary>
    /// Registers <see cref="IHotCache"/> (Analytics:Cache:Provider, else <paramref name="defaultProvider"/>) wrapped in
    /// <see cref="ResilientHotCache"/>, and the <see cref="QueryResultCache"/> the query API uses.
    /// </summary>
    public static IServiceCollection AddHotCache(this IServiceCollection services, HotCacheProvider defaultProvider)
    {
        services.AddOptions<HotCacheOptions>()
            .BindConfiguration(HotCacheOptions.SectionName)
            .PostConfigure(o => o.Provider ??= defaultProvider)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IHotCache>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HotCacheOptions>>().Value;
            IHotCache inner = options.Provider switch
            {
                HotCacheProvider.Redis => new RedisHotCache(options.RedisConnectionString
                    ?? sp.GetRequiredService<IConfiguration>().GetSection(ClusterProfileOptions.SectionName).Get<ClusterProfileOptions>()?.RedisConnectionString
                    ?? new ClusterProfileOptions().RedisConnectionString),
                HotCacheProvider.Memory => new MemoryHotCache(sp.GetRequiredService<IOptions<HotCacheOptions>>()),
                _ => new NoHotCache(),
            };
            return new ResilientHotCache(inner, options, sp.GetRequiredService<ILogger<ResilientHotCache>>(), sp.GetService<TimeProvider>());
        });
        services.AddSingleton<QueryResultCache>();
        return services;
    }
}

/// <summary>Analytics:Cache:Provider=None: every read misses, every write is dropped.</summary>
public sealed class NoHotCache : IHotCache
{
    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => ValueTask.FromResult<byte[]?>(null);

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}

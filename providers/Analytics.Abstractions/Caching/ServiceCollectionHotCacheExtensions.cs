using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Analytics.Abstractions.Caching;

public static class ServiceCollectionHotCacheExtensions
{
    /// <summary>
    /// Registers <see cref="IHotCache"/> (Analytics:Cache:Provider, else <paramref name="defaultProvider"/>) wrapped in
    /// <see cref="ResilientHotCache"/>. Memory and None are built in; Redis needs Analytics.Redis' AddRedisHotCache.
    /// </summary>
    public static IServiceCollection AddHotCache(this IServiceCollection services, HotCacheProvider defaultProvider)
    {
        services.AddOptions<HotCacheOptions>()
            .BindConfiguration(HotCacheOptions.SectionName)
            .PostConfigure(o => o.Provider ??= defaultProvider)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddKeyedSingleton<HotCacheFactory>(HotCacheProvider.Memory, (_, _) => sp => new MemoryHotCache(sp.GetRequiredService<IOptions<HotCacheOptions>>()));
        services.TryAddKeyedSingleton<HotCacheFactory>(HotCacheProvider.None, (_, _) => _ => new NoHotCache());
        services.AddSingleton<IHotCache>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HotCacheOptions>>().Value;
            var inner = sp.GetRequiredKeyedService<HotCacheFactory>(options.Provider ?? defaultProvider)(sp);
            return new ResilientHotCache(inner, options, sp.GetRequiredService<ILogger<ResilientHotCache>>(), sp.GetService<TimeProvider>());
        });
        return services;
    }
}

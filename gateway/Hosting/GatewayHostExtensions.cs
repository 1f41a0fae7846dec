using Analytics.Abstractions.Caching;
using Analytics.Abstractions.Hosting;
using Analytics.Abstractions.Ingestion;
using Analytics.Gateway.Health;
using Analytics.Kafka.Producer;
using Analytics.Redis;
using Orleans.Configuration;

namespace Analytics.Gateway.Hosting;

/// <summary>The standalone gateway of the cluster profile: an Orleans client of the silos, producing beacons to Kafka.</summary>
public static class GatewayHostExtensions
{
    public const string KafkaSection = "Analytics:Kafka";

    public static WebApplicationBuilder AddAnalyticsGatewayHost(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(ClusterProfileOptions.SectionName).Get<ClusterProfileOptions>() ?? new();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseRedisClustering(cluster.RedisConnectionString);
        });
        // Query results over closed periods are shared by every gateway through Redis.
        builder.Services.AddAnalyticsGateway(HotCacheProvider.Redis);
        builder.Services.AddKafkaBeaconProducer(options => builder.Configuration.GetSection(KafkaSection).Bind(options));
        builder.Services.AddSingleton<IEventSink, KafkaEventSink>();
        // Kafka or the silos away: this gateway cannot take beacons or answer queries, so a balancer should skip it.
        // Redis away: membership is frozen and the cache misses, but everything still works, so only degraded.
        builder.Services.AddHealthChecks()
            .AddCheck<KafkaProducerHealthCheck>("kafka")
            .AddCheck<OrleansClusterHealthCheck>("orleans")
            .AddRedisHealthCheck(cluster.RedisConnectionString);
        return builder;
    }
}

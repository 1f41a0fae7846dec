using Analytics.Gateway.Caching;
using Analytics.GrainInterfaces.Caching;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Kafka;
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
        return builder;
    }
}

using System.Net;
using Analytics.Abstractions.Caching;
using Analytics.Abstractions.Hosting;
using Analytics.Cassandra.EventLog;
using Analytics.Cassandra.Health;
using Analytics.Cassandra.Lanes;
using Analytics.Cassandra.Segments;
using Analytics.Cassandra.Storage;
using Analytics.Cql;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains;
using Analytics.Kafka.Streams;
using Analytics.Redis;
using OpenTelemetry.Metrics;
using Orleans.Configuration;

namespace Analytics.Silo.Hosting;

/// <summary>
/// The cluster profile's silo: Redis membership, grain state, the raw event log and segments in Cassandra, events from Kafka through our persistent
/// stream provider. Any number of these processes share the work; Kafka partitions are balanced over them.
/// </summary>
public static class ClusterSiloExtensions
{
    public const string KafkaSection = "Analytics:Kafka";
    public const string CassandraSection = "Analytics:Cassandra";

    public static WebApplicationBuilder AddClusterSilo(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(ClusterProfileOptions.SectionName).Get<ClusterProfileOptions>() ?? new();
        builder.Services.AddOptions<ClusterProfileOptions>().BindConfiguration(ClusterProfileOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Closed metric buckets go to the same Redis cache the gateways read query results from (Analytics:Cache).
        builder.Services.AddHotCache(HotCacheProvider.Redis);
        builder.Services.AddRedisHotCache();
        var cassandra = new CassandraGrainStorageOptions();
        BindCassandra(builder.Configuration.GetSection(CassandraSection), cassandra, cassandra.Client);
        // Cassandra down: this silo cannot activate or save grains, so it is not ready. Redis down: membership is frozen but
        // the silo keeps serving with the view it has, so only degraded.
        builder.Services.AddHealthChecks()
            .AddCassandraHealthCheck(cassandra.Client)
            .AddRedisHealthCheck(cluster.RedisConnectionString);
        // /metrics: the lanes' batches and steps (added with the grains), the Kafka receivers' skipped messages and the
        // runtime's own meter, as the gateway exposes its pipeline's.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(KafkaPartitionTracker.MeterName)
            .AddMeter("System.Runtime")
            .AddPrometheusExporter());

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            silo.UseRedisClustering(cluster.RedisConnectionString);
            // The default directory is eventually consistent: while a silo joins or leaves, a grain can have two activations
            // for a moment. Two activations of a segment would each count part of its events and overwrite each other's
            // batches; the strongly consistent directory (Orleans 9+, still marked experimental) makes no second one while the
            // membership is right (a silo declared dead that has not noticed yet can still answer until it stops).
#pragma warning disable ORLEANSEXP003
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
            if (cluster.Kubernetes)
            {
                // After ConfigureEndpoints: the pod's own address and the ids from its labels win.
                silo.UseKubernetesHosting();
            }

            silo.AddCassandraGrainStorage(StorageNames.Analytics, options => BindCassandra(builder.Configuration.GetSection(CassandraSection), options, options.Client));
            // Every event is archived by its lane before it is counted (see LaneGrain for why there).
            silo.AddCassandraRawEventLog(options =>
            {
                BindCassandra(builder.Configuration.GetSection(CassandraSection), options, options.Client);
                builder.Configuration.GetSection(CassandraRawEventLogOptions.SectionName).Bind(options);
            });
            silo.AddCassandraSegmentStore(options =>
            {
                BindCassandra(builder.Configuration.GetSection(CassandraSection), options, options.Client);
                builder.Configuration.GetSection(CassandraSegmentStoreOptions.SectionName).Bind(options);
            });
            silo.AddCassandraLaneStateStore(options =>
            {
                BindCassandra(builder.Configuration.GetSection(CassandraSection), options, options.Client);
                builder.Configuration.GetSection(CassandraLaneStateStoreOptions.SectionName).Bind(options);
            });
            silo.AddCassandraSiteDataStore(StorageNames.Analytics);
            silo.AddKafkaStreams(
                StreamNames.Provider,
                options => builder.Configuration.GetSection(KafkaSection).Bind(options),
                stream => stream.ConfigureStreamPubSub(Orleans.Streams.StreamPubSubType.ImplicitOnly));
            silo.Services.AddSingleton<IKafkaStreamMessageConverter, EventEnvelopeMessageConverter>();
            silo.AddAnalyticsGrains();
        });
        return builder;
    }

    /// <summary>
    /// Binds the storage options. The binder appends configured list items to a list's defaults, so configured contact points
    /// would be added to 127.0.0.1:9042 instead of replacing it (and the silo would also talk to whatever Cassandra runs there).
    /// </summary>
    public static void BindCassandra(IConfigurationSection section, object options, CassandraClientOptions client)
    {
        section.Bind(options);
        if (section.GetSection("Client:ContactPoints").Get<List<string>>() is { Count: > 0 } contactPoints)
        {
            client.ContactPoints = contactPoints;
        }
    }
}

using Analytics.Abstractions.Caching;
using Analytics.Gateway.Access;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains;
using Analytics.Grains.Lanes;
using Analytics.Grains.Query;
using Analytics.Grains.Segments;
using Analytics.Silo.Access;
using Analytics.Silo.Sites;
using Analytics.Sqlite;
using Analytics.Sqlite.EventLog;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Silo.Hosting;

/// <summary>
/// The embedded profile: one process, localhost clustering, SQLite for grain state, the event log and segments; the log's
/// events reach the lanes through the SQLite stream provider, as Kafka's do in the cluster profile.
/// </summary>
public static class EmbeddedSiloExtensions
{
    public static WebApplicationBuilder AddEmbeddedSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddSqliteEventLog();
        builder.Services.AddSqliteSiteDataStore();
        builder.Services.AddHostedService<ConfiguredSitesRegistration>();
        builder.Services.AddSingleton<AdminAccountBootstrap>();
        builder.Services.AddHostedService<ReadyBanner>();

        builder.UseOrleans(silo =>
        {
            var ports = builder.Configuration.GetSection("Analytics:Orleans");
            silo.UseLocalhostClustering(ports.GetValue("SiloPort", 11111), ports.GetValue("GatewayPort", 30000));
            silo.AddSqliteGrainStorage(StorageNames.Analytics);
            silo.AddSqliteSegmentStore();
            silo.AddSqliteLaneStateStore();
            silo.AddSqliteStreams(
                StreamNames.Provider,
                options => builder.Configuration.GetSection(EventLogOptions.SectionName).Bind(options),
                stream => stream.ConfigureStreamPubSub(Orleans.Streams.StreamPubSubType.ImplicitOnly));
            silo.AddAnalyticsGrains();
        });
        return builder;
    }

    /// <summary>What the analytics grains need in any profile.</summary>
    public static ISiloBuilder AddAnalyticsGrains(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        // The profile registers the real cache (embedded: with the gateway, cluster: Redis); hosts without one never hit.
        silo.Services.TryAddSingleton<IHotCache, NoHotCache>();
        silo.Services.AddOptions<SegmentOptions>().BindConfiguration(SegmentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddSingleton<SealedSegments>();
        silo.Services.AddHostedService<SegmentWarmUp>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, QueryPathWarmUp>();
        silo.Services.AddSingleton<LateEventResults>();
        silo.Services.AddSingleton<LaneMetrics>();
        silo.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(LaneMetrics.MeterName, SealedSegments.MeterName));
        return silo;
    }
}

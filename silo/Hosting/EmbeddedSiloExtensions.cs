using Analytics.Gateway.Caching;
using Analytics.Gateway.Ingestion;
using Analytics.GrainInterfaces.Caching;
using Analytics.Silo.Access;
using Analytics.Grains;
using Analytics.Grains.Metrics;
using Analytics.Grains.Privacy;
using Analytics.Silo.EventLog;
using Analytics.Silo.Privacy;
using Analytics.Silo.Sites;
using Analytics.Silo.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Analytics.Silo.Hosting;

/// <summary>The embedded profile: one process, localhost clustering, SQLite for grain state and the event log.</summary>
public static class EmbeddedSiloExtensions
{
    public static WebApplicationBuilder AddEmbeddedSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventLogOptions>().BindConfiguration(EventLogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SqliteEventLog>();
        builder.Services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<SqliteEventLog>());
        builder.Services.AddHostedService<EventLogPump>();
        builder.Services.AddOptions<RawEventRetentionOptions>().BindConfiguration(RawEventRetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<EventLogRetention>();
        builder.Services.AddSingleton<ISiteDataStore, SqliteSiteDataStore>();
        builder.Services.AddHostedService<ConfiguredSitesRegistration>();
        builder.Services.AddHostedService<AdminAccountBootstrap>();

        builder.UseOrleans(silo =>
        {
            var ports = builder.Configuration.GetSection("Analytics:Orleans");
            silo.UseLocalhostClustering(ports.GetValue("SiloPort", 11111), ports.GetValue("GatewayPort", 30000));
            silo.AddSqliteGrainStorage(StorageNames.Analytics);
            silo.AddAnalyticsGrains();
        });
        return builder;
    }

    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string name)
    {
        silo.Services.AddOptions<SqliteStorageOptions>().BindConfiguration(SqliteStorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            // Relative to the content root (the app's folder), not to wherever the process was started.
            .PostConfigure<IHostEnvironment>((o, host) => o.DataDirectory = Path.GetFullPath(o.DataDirectory, host.ContentRootPath));
        silo.Services.AddSingleton(sp => new SqliteGrainStorage(
            sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.GrainStatePath,
            sp.GetRequiredService<Serializer>()));
        silo.Services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => sp.GetRequiredService<SqliteGrainStorage>());
        return silo;
    }

    /// <summary>What the analytics grains need in any profile.</summary>
    public static ISiloBuilder AddAnalyticsGrains(this ISiloBuilder silo)
    {
        silo.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.TryAddSingleton(TimeProvider.System);
        // The profile registers the real cache (embedded: with the gateway, cluster: Redis); hosts without one never hit.
        silo.Services.TryAddSingleton<IHotCache, NoHotCache>();
        silo.Services.AddSingleton<ClosedBucketCache>();
        return silo;
    }
}

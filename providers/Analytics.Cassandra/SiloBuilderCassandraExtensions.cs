using Analytics.Abstractions.Lanes;
using Analytics.Abstractions.Segments;
using Analytics.Cassandra.EventLog;
using Analytics.Cassandra.Lanes;
using Analytics.Cassandra.Privacy;
using Analytics.Cassandra.Segments;
using Analytics.Cassandra.Storage;
using Analytics.Grains.EventLog;
using Analytics.Grains.Privacy;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Orleans.Hosting;

/// <summary>The cluster profile's Cassandra stores: grain storage, the raw event log, segments and site data.</summary>
public static class SiloBuilderCassandraExtensions
{
    public static ISiloBuilder AddCassandraGrainStorageAsDefault(this ISiloBuilder builder, Action<CassandraGrainStorageOptions> configure) =>
        builder.AddCassandraGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    public static ISiloBuilder AddCassandraGrainStorage(this ISiloBuilder builder, string name, Action<CassandraGrainStorageOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<CassandraGrainStorageOptions>(name).Configure(configure);
        builder.Services.AddTransient<IConfigurationValidator>(services => new CassandraGrainStorageOptionsValidator(
            services.GetRequiredService<IOptionsMonitor<CassandraGrainStorageOptions>>().Get(name), name));
        // Orleans' helper registers the keyed IGrainStorage and hooks ILifecycleParticipant<ISiloLifecycle>.
        builder.Services.AddGrainStorage(name, CassandraGrainStorage.Create);
        return builder;
    }

    /// <summary>
    /// Registers the Cassandra raw event log as the silo's <see cref="IRawEventLog"/>: lanes then archive every
    /// event before counting it. Started and stopped with the silo.
    /// </summary>
    public static ISiloBuilder AddCassandraRawEventLog(this ISiloBuilder builder, Action<CassandraRawEventLogOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<CassandraRawEventLogOptions>().Configure(configure);
        builder.Services.AddSingleton(services => new CassandraRawEventLog(
            services.GetRequiredService<IOptions<CassandraRawEventLogOptions>>().Value,
            services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<IRawEventLog>(services => services.GetRequiredService<CassandraRawEventLog>());
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<CassandraRawEventLog>());
        return builder;
    }

    /// <summary>
    /// Registers <see cref="CassandraSegmentStore"/> as the silo's <see cref="ISegmentStore"/> (sealed segments in
    /// chunks of at most 1 MB per cell). Started and stopped with the silo.
    /// </summary>
    public static ISiloBuilder AddCassandraSegmentStore(this ISiloBuilder builder, Action<CassandraSegmentStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<CassandraSegmentStoreOptions>().Configure(configure);
        builder.Services.AddTransient<IConfigurationValidator>(services => new CassandraSegmentStoreOptionsValidator(
            services.GetRequiredService<IOptions<CassandraSegmentStoreOptions>>().Value));
        builder.Services.AddSingleton(services => new CassandraSegmentStore(
            services.GetRequiredService<IOptions<CassandraSegmentStoreOptions>>().Value,
            services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<ISegmentStore>(services => services.GetRequiredService<CassandraSegmentStore>());
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<CassandraSegmentStore>());
        return builder;
    }

    /// <summary>
    /// Registers <see cref="CassandraLaneStateStore"/> as the silo's <see cref="ILaneStateStore"/>, where lanes checkpoint
    /// their offsets and sessions (one partition per lane). Started and stopped with the silo.
    /// </summary>
    public static ISiloBuilder AddCassandraLaneStateStore(this ISiloBuilder builder, Action<CassandraLaneStateStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<CassandraLaneStateStoreOptions>().Configure(configure);
        builder.Services.AddTransient<IConfigurationValidator>(services => new CassandraLaneStateStoreOptionsValidator(
            services.GetRequiredService<IOptions<CassandraLaneStateStoreOptions>>().Value));
        builder.Services.AddSingleton(services => new CassandraLaneStateStore(
            services.GetRequiredService<IOptions<CassandraLaneStateStoreOptions>>().Value,
            services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<ILaneStateStore>(services => services.GetRequiredService<CassandraLaneStateStore>());
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<CassandraLaneStateStore>());
        return builder;
    }

    /// <summary>
    /// Site export and erasure over the Cassandra grain storage named <paramref name="storageName"/>, the raw event
    /// log, the segment store and the lane store (all registered before).
    /// </summary>
    public static ISiloBuilder AddCassandraSiteDataStore(this ISiloBuilder builder, string storageName)
    {
        builder.Services.AddSingleton<ISiteDataStore>(services => new CassandraSiteDataStore(
            (CassandraGrainStorage)services.GetRequiredKeyedService<IGrainStorage>(storageName),
            services.GetRequiredService<CassandraRawEventLog>(),
            services.GetRequiredService<ISegmentStore>(),
            services.GetRequiredService<ILaneStateStore>()));
        return builder;
    }
}

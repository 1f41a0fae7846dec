using Analytics.Sqlite.Streams;
using Microsoft.Extensions.Options;

namespace Orleans.Hosting;

public static class SiloBuilderSqliteStreamExtensions
{
    /// <summary>
    /// Adds a persistent stream provider reading every lane of the embedded event log (register the log too:
    /// <c>AddSqliteEventLog</c>), so the embedded profile delivers events through Orleans streams as the cluster does
    /// through Kafka. Lanes are checkpointed after delivery; a commit to the log wakes its lanes' readers.
    /// </summary>
    public static ISiloBuilder AddSqliteStreams(this ISiloBuilder builder, string name, Action<SqliteStreamOptions> configure) =>
        builder.AddSqliteStreams(name, configure, null);

    /// <summary>As above; <paramref name="configureStream"/> can change Orleans' side, e.g. the pub-sub type.</summary>
    public static ISiloBuilder AddSqliteStreams(this ISiloBuilder builder, string name, Action<SqliteStreamOptions> configure, Action<ISiloPersistentStreamConfigurator>? configureStream)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddPersistentStreams(name, SqliteQueueAdapterFactory.Create, stream =>
        {
            stream.Configure<SqliteStreamOptions>(options => options.Configure(configure));
            stream.ConfigureDelegate(services =>
                services.AddSingleton<IConfigurationValidator>(sp => SqliteStreamOptionsValidator.Create(sp, name)));
            // One silo owns the whole ring, so every lane.
            stream.UseConsistentRingQueueBalancer();
            stream.ConfigurePullingAgent(agent => agent.Configure<IOptionsMonitor<SqliteStreamOptions>>((options, sqlite) =>
            {
                options.MaxEventDeliveryTime = sqlite.Get(name).MaxEventDeliveryTime;
                options.GetQueueMsgsTimerPeriod = sqlite.Get(name).PullPeriod;
            }));
            configureStream?.Invoke(stream);
        });
    }
}

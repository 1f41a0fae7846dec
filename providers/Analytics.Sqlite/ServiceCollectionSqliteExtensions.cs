using Analytics.Abstractions.Ingestion;
using Analytics.Grains.EventLog;
using Analytics.Grains.Privacy;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Privacy;

namespace Analytics.Sqlite;

public static class ServiceCollectionSqliteExtensions
{
    /// <summary>
    /// The embedded event log (Analytics:EventLog) as the gateway's <see cref="IEventSink"/> and the grains'
    /// <see cref="IRawEventLog"/>, with the raw-event retention (Analytics:RawEventLog). Its events reach the grains through
    /// the stream provider over it (<c>AddSqliteStreams</c>).
    /// </summary>
    public static IServiceCollection AddSqliteEventLog(this IServiceCollection services)
    {
        services.AddOptions<EventLogOptions>().BindConfiguration(EventLogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SqliteEventLog>();
        services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<SqliteEventLog>());
        services.AddSingleton<IRawEventLog>(sp => new SqliteRawEventLog(sp.GetRequiredService<SqliteEventLog>()));
        services.AddOptions<RawEventRetentionOptions>().BindConfiguration(RawEventRetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<EventLogRetention>();
        return services;
    }

    /// <summary>Site erasure over the embedded event log, grain storage, segment store and lane store (<see cref="SqliteSiteDataStore"/>).</summary>
    public static IServiceCollection AddSqliteSiteDataStore(this IServiceCollection services) =>
        services.AddSingleton<ISiteDataStore, SqliteSiteDataStore>();
}

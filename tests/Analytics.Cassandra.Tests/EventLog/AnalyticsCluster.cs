using Analytics.Cassandra.Lanes;
using Analytics.Cassandra.Tests.Storage;
using Analytics.Cassandra.Tests.Support;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;

namespace Analytics.Cassandra.Tests.EventLog;

/// <summary>A one-silo test cluster of the real analytics grains on the fixture's keyspace (<see cref="AnalyticsSiloConfigurator"/>).</summary>
public static class AnalyticsCluster
{
    /// <summary>Starts the silo on <paramref name="eventLogDirectory"/> (a restart keeps its log), else on a new one.</summary>
    public static async Task<TestCluster> StartAsync(CassandraFixture fixture, string? eventLogDirectory = null)
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[CassandraSiloConfigurator.KeyspaceKey] = fixture.Keyspace;
        builder.Properties[CassandraSiloConfigurator.ContactPointKey] = fixture.ContactPoint;
        builder.Properties[AnalyticsSiloConfigurator.EventLogDirectoryKey] = eventLogDirectory ?? Directory.CreateTempSubdirectory("analytics-cassandra-log-").FullName;
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
        }));
        builder.AddSiloBuilderConfigurator<AnalyticsSiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>The event log the silo's stream reads: append to it (EventLogDelivery) to reach the lanes.</summary>
    public static SqliteEventLog Log(TestCluster cluster) => Services(cluster).GetRequiredService<SqliteEventLog>();

    /// <summary>The lane store's settings (its tables are named per cluster).</summary>
    public static CassandraLaneStateStoreOptions LaneStore(TestCluster cluster) =>
        Services(cluster).GetRequiredService<IOptions<CassandraLaneStateStoreOptions>>().Value;

    /// <summary>Stops the silo and deletes its event log, unless <paramref name="keepEventLog"/> (for a restart on it).</summary>
    public static async Task StopAsync(TestCluster cluster, bool keepEventLog = false)
    {
        var eventLog = Services(cluster).GetRequiredService<IOptions<SqliteStorageOptions>>().Value.DataDirectory;
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
        if (!keepEventLog)
        {
            Directory.Delete(eventLog, recursive: true);
        }
    }

    /// <summary>Makes the stream forget how far it read (its checkpoints live in events.db): the next start delivers the whole log again.</summary>
    public static void ForgetStreamCheckpoints(string eventLogDirectory)
    {
        using var connection = SqliteDatabase.Open(Path.Combine(eventLogDirectory, "events.db"));
        SqliteDatabase.Execute(connection, "DELETE FROM checkpoints");
    }

    private static IServiceProvider Services(TestCluster cluster) =>
        cluster.Primary is InProcessSiloHandle silo ? silo.SiloHost.Services : throw new InvalidOperationException("The silo runs in another process.");
}

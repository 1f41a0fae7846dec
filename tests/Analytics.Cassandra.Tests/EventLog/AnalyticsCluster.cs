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
    public static async Task<TestCluster> StartAsync(CassandraFixture fixture)
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[CassandraSiloConfigurator.KeyspaceKey] = fixture.Keyspace;
        builder.Properties[CassandraSiloConfigurator.ContactPointKey] = fixture.ContactPoint;
        builder.Properties[AnalyticsSiloConfigurator.EventLogDirectoryKey] = Directory.CreateTempSubdirectory("analytics-cassandra-log-").FullName;
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

    public static async Task StopAsync(TestCluster cluster)
    {
        var eventLog = Services(cluster).GetRequiredService<IOptions<SqliteStorageOptions>>().Value.DataDirectory;
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
        Directory.Delete(eventLog, recursive: true);
    }

    private static IServiceProvider Services(TestCluster cluster) =>
        cluster.Primary is InProcessSiloHandle silo ? silo.SiloHost.Services : throw new InvalidOperationException("The silo runs in another process.");
}

using Analytics.Cassandra.Tests.Storage;
using Analytics.Cassandra.Tests.Support;
using Microsoft.Extensions.Configuration;
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
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:Metrics:FlushInterval"] = "00:00:00.050",
        }));
        builder.AddSiloBuilderConfigurator<AnalyticsSiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static async Task StopAsync(TestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }
}

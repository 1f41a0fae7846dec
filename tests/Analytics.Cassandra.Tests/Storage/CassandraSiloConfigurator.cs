using Analytics.Cassandra.Tests.Grains;
using Orleans.TestingHost;

namespace Analytics.Cassandra.Tests.Storage;

/// <summary>TestCluster silos with the Cassandra provider; keyspace and contact point come from the cluster's properties.</summary>
public sealed class CassandraSiloConfigurator : ISiloConfigurator
{
    public const string KeyspaceKey = "CassandraKeyspace";
    public const string ContactPointKey = "CassandraContactPoint";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var keyspace = siloBuilder.Configuration[KeyspaceKey] ?? throw new InvalidOperationException($"{KeyspaceKey} is not set.");
        var contactPoint = siloBuilder.Configuration[ContactPointKey] ?? throw new InvalidOperationException($"{ContactPointKey} is not set.");
        siloBuilder.AddCassandraGrainStorage(CounterGrain.StorageName, options =>
        {
            options.Keyspace = keyspace;
            options.Client.ContactPoints = [contactPoint];
        });
    }
}

using Analytics.Cassandra.Tests.Storage;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains;
using Analytics.Silo.Hosting;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Analytics.Cassandra.Tests.EventLog;

/// <summary>The real analytics grains on Cassandra grain storage with the Cassandra raw event log and segment store, as the cluster profile wires them.</summary>
public sealed class AnalyticsSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var keyspace = siloBuilder.Configuration[CassandraSiloConfigurator.KeyspaceKey] ?? throw new InvalidOperationException("no keyspace");
        var contactPoint = siloBuilder.Configuration[CassandraSiloConfigurator.ContactPointKey] ?? throw new InvalidOperationException("no contact point");
        siloBuilder.AddCassandraGrainStorage(StorageNames.Analytics, options =>
        {
            options.Keyspace = keyspace;
            options.Client.ContactPoints = [contactPoint];
        });
        siloBuilder.AddCassandraRawEventLog(options =>
        {
            options.Keyspace = keyspace;
            options.Client.ContactPoints = [contactPoint];
        });
        siloBuilder.AddCassandraSegmentStore(options =>
        {
            options.Keyspace = keyspace;
            options.Client.ContactPoints = [contactPoint];
        });
        siloBuilder.AddCassandraSiteDataStore(StorageNames.Analytics);
        // The visitor grains subscribe to the event stream; these tests call them directly, so an in-memory provider stands in for Kafka.
        siloBuilder.AddMemoryStreams(StreamNames.Provider, stream => stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
        siloBuilder.AddAnalyticsGrains();
    }
}

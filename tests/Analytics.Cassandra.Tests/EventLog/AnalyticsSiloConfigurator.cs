using Analytics.Cassandra.Tests.Storage;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains;
using Analytics.Silo.Hosting;
using Analytics.Sqlite;
using Analytics.Sqlite.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Analytics.Cassandra.Tests.EventLog;

/// <summary>
/// The real analytics grains on Cassandra grain storage with the Cassandra raw event log and segment store, as the cluster
/// profile wires them. Events reach the lanes through a stream as in the cluster; the embedded profile's SQLite log
/// and stream stand in for Kafka, so a test can wait until they are delivered (<see cref="Testing.EventLogDelivery"/>).
/// </summary>
public sealed class AnalyticsSiloConfigurator : ISiloConfigurator
{
    public const string EventLogDirectoryKey = "EventLogDirectory";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var keyspace = siloBuilder.Configuration[CassandraSiloConfigurator.KeyspaceKey] ?? throw new InvalidOperationException("no keyspace");
        var contactPoint = siloBuilder.Configuration[CassandraSiloConfigurator.ContactPointKey] ?? throw new InvalidOperationException("no contact point");
        var eventLog = siloBuilder.Configuration[EventLogDirectoryKey] ?? throw new InvalidOperationException("no event log directory");
        siloBuilder.Services.Configure<SqliteStorageOptions>(options => options.DataDirectory = eventLog);
        siloBuilder.Services.AddSqliteEventLog();
        siloBuilder.AddSqliteStreams(StreamNames.Provider, _ => { }, stream => stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
        siloBuilder.AddCassandraGrainStorage(StorageNames.Analytics, options =>
        {
            options.Keyspace = keyspace;
            options.Client.ContactPoints = [contactPoint];
        });
        // After the SQLite log, which registers itself as the raw event log too: Cassandra's is the one the grains get.
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
        siloBuilder.AddCassandraLaneStateStore(options =>
        {
            options.Keyspace = keyspace;
            options.Client.ContactPoints = [contactPoint];
            // Lane checkpoints are offsets into this cluster's own event log (a fresh one per cluster, where Kafka keeps
            // its offsets for good): a table of their own, or a lane would skip the new log's first rows as already seen.
            options.TablePrefix = "lane_" + Convert.ToHexStringLower(System.IO.Hashing.XxHash32.Hash(System.Text.Encoding.UTF8.GetBytes(eventLog)));
        });
        siloBuilder.AddCassandraSiteDataStore(StorageNames.Analytics);
        siloBuilder.AddAnalyticsGrains();
    }
}

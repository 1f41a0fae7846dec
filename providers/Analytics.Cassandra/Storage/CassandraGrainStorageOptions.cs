using Analytics.Cql;

namespace Analytics.Cassandra.Storage;

/// <summary>Settings of one named Cassandra grain-storage provider.</summary>
public sealed class CassandraGrainStorageOptions
{
    /// <summary>Connection settings. Leave Client.Keyspace unset: the provider qualifies names with <see cref="Keyspace"/>.</summary>
    public CassandraClientOptions Client { get; set; } = new();

    public string Keyspace { get; set; } = "analytics";

    public string Table { get; set; } = "grain_state";

    /// <summary>The keyspace's CQL replication map, used only when the provider creates the keyspace.</summary>
    public string Replication { get; set; } = "{'class': 'SimpleStrategy', 'replication_factor': 1}";

    /// <summary>Create the keyspace and table on silo start when missing.</summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>
    /// Reads need no serial level: every write is a lightweight transaction checked against the etag,
    /// so a read that misses an in-flight write only leads to an InconsistentStateException, never a lost update.
    /// </summary>
    public CqlConsistency ReadConsistency { get; set; } = CqlConsistency.Quorum;

    /// <summary>Commit consistency of the lightweight transactions.</summary>
    public CqlConsistency WriteConsistency { get; set; } = CqlConsistency.Quorum;

    /// <summary>Serial or LocalSerial: the Paxos phase of the lightweight transactions.</summary>
    public CqlConsistency SerialConsistency { get; set; } = CqlConsistency.Serial;

    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;
}

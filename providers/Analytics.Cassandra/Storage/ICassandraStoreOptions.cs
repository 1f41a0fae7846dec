using Analytics.Cql;

namespace Analytics.Cassandra.Storage;

/// <summary>The settings every <see cref="CassandraStore"/> starts from: where to connect, and whether to create its schema.</summary>
public interface ICassandraStoreOptions
{
    CassandraClientOptions Client { get; }

    string Keyspace { get; }

    /// <summary>The keyspace's replication map, used only when the store creates the keyspace.</summary>
    string Replication { get; }

    bool CreateSchema { get; }

    string TablePrefix { get; }

    /// <summary>The silo lifecycle stage at which the store connects.</summary>
    int InitStage { get; }
}

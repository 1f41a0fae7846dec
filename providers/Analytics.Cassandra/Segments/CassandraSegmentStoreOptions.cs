using Analytics.Cassandra.Storage;
using Analytics.Cql;

namespace Analytics.Cassandra.Segments;

/// <summary>
/// Settings of the cluster profile's segment store (section <c>Analytics:SegmentStore</c>; connection and keyspace from
/// <c>Analytics:Cassandra</c>).
/// </summary>
public sealed class CassandraSegmentStoreOptions : ICassandraStoreOptions
{
    public const string SectionName = "Analytics:SegmentStore";

    /// <summary>The most a cell may hold: Cassandra reads and writes a cell whole, so big ones strain its heap.</summary>
    public const int MaxChunkSize = 1024 * 1024;

    public CassandraClientOptions Client { get; set; } = new();

    public string Keyspace { get; set; } = "analytics";

    /// <summary>The store's tables are {prefix}_chunks (sealed payloads), {prefix}_batches and {prefix}_days (the per-site index).</summary>
    public string TablePrefix { get; set; } = "segment";

    /// <summary>The keyspace's CQL replication map, used only when the store creates the keyspace.</summary>
    public string Replication { get; set; } = "{'class': 'SimpleStrategy', 'replication_factor': 1}";

    public bool CreateSchema { get; set; } = true;

    /// <summary>Bytes per cell of a payload; at most <see cref="MaxChunkSize"/>.</summary>
    public int ChunkSize { get; set; } = MaxChunkSize;

    /// <summary>Chunks of one payload written at once.</summary>
    public int WriteParallelism { get; set; } = 4;

    public CqlConsistency WriteConsistency { get; set; } = CqlConsistency.Quorum;

    public CqlConsistency ReadConsistency { get; set; } = CqlConsistency.Quorum;

    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    public string ChunksTable => $"{TablePrefix}_chunks";

    public string BatchesTable => $"{TablePrefix}_batches";

    public string DaysTable => $"{TablePrefix}_days";
}

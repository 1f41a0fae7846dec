using Analytics.Cassandra.Storage;
using Analytics.Cql;

namespace Analytics.Cassandra.Lanes;

/// <summary>
/// Settings of the cluster profile's lane checkpoint store (section <c>Analytics:LaneStore</c>; connection and keyspace
/// from <c>Analytics:Cassandra</c>).
/// </summary>
public sealed class CassandraLaneStateStoreOptions : ICassandraStoreOptions
{
    public const string SectionName = "Analytics:LaneStore";

    /// <summary>
    /// The most a batch may carry: Cassandra 2.1 rejects a mutation over half a commit log segment (16 MB by default)
    /// and holds a whole batch in its heap.
    /// </summary>
    public const int MaxBatchBytesLimit = 8 * 1024 * 1024;

    public CassandraClientOptions Client { get; set; } = new();

    public string Keyspace { get; set; } = "analytics";

    /// <summary>The store's tables are {prefix}_parts (one partition per lane) and {prefix}_erased (sites being erased).</summary>
    public string TablePrefix { get; set; } = "lane";

    /// <summary>The keyspace's CQL replication map, used only when the store creates the keyspace.</summary>
    public string Replication { get; set; } = "{'class': 'SimpleStrategy', 'replication_factor': 1}";

    public bool CreateSchema { get; set; } = true;

    /// <summary>
    /// Bytes of sessions per part, and so per batch; a checkpoint with more writes several (see <see cref="CassandraLaneStateStore"/>).
    /// Cassandra 2.1 only warns about big batches (<c>batch_size_warn_threshold_in_kb</c>); from 2.2 on it refuses those
    /// over <c>batch_size_fail_threshold_in_kb</c> (50 KB by default): there, raise that threshold or set this below it.
    /// </summary>
    public int MaxBatchBytes { get; set; } = 1024 * 1024;

    /// <summary>Parts per page when a lane's parts are read (each up to <see cref="MaxBatchBytes"/>).</summary>
    public int ReadPageSize { get; set; } = 8;

    public CqlConsistency WriteConsistency { get; set; } = CqlConsistency.Quorum;

    public CqlConsistency ReadConsistency { get; set; } = CqlConsistency.Quorum;

    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>The most a page of parts may weigh (<see cref="ReadPageSize"/> × <see cref="MaxBatchBytes"/>): a page is held whole, by Cassandra too.</summary>
    public const long MaxPageBytes = 64L * 1024 * 1024;

    public string PartsTable => $"{TablePrefix}_parts";

    public string ErasedTable => $"{TablePrefix}_erased";
}

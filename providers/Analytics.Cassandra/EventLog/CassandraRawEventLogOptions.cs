using Analytics.Cql;

namespace Analytics.Cassandra.EventLog;

/// <summary>Settings of the raw event log table (section <c>Analytics:RawEventLog</c>; connection from <c>Analytics:Cassandra</c>).</summary>
public sealed class CassandraRawEventLogOptions
{
    public const string SectionName = "Analytics:RawEventLog";

    public CassandraClientOptions Client { get; set; } = new();

    public string Keyspace { get; set; } = "analytics";

    /// <summary>The archive: a row per block of events (<see cref="CassandraEventBlock"/>).</summary>
    public string BlockTable { get; set; } = "event_blocks";

    /// <summary>The row-per-event archive of builds before the blocks: still read and erased, never written.</summary>
    public string Table { get; set; } = "events";

    /// <summary>The keyspace's CQL replication map, used only when the log creates the keyspace.</summary>
    public string Replication { get; set; } = "{'class': 'SimpleStrategy', 'replication_factor': 1}";

    public bool CreateSchema { get; set; } = true;

    /// <summary>Retention: rows expire this long after they are written. Null (default) keeps them for ever.</summary>
    public TimeSpan? Ttl { get; set; }

    /// <summary>
    /// Coalesce concurrent appends (of all lanes on the silo) into one flush, whose blocks then hold every lane's events
    /// of a site-day. False writes each append's own blocks: the baseline the bench compares against.
    /// </summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>Most events in one block (one row); envelopes are ~0.5 KB of JSON before packing.</summary>
    public int MaxBlockEvents { get; set; } = 1000;

    /// <summary>
    /// Longest time between a block's first and last event. A reader holds every event of the blocks it has begun
    /// until the next block's first millisecond, so this bounds how much of a day it holds (late and imported events
    /// would otherwise stretch a block over the day).
    /// </summary>
    public TimeSpan MaxBlockSpan { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Events one flush takes from the queue before writing them.</summary>
    public int MaxRowsPerFlush { get; set; } = 2000;

    /// <summary>Flushes in flight at once; while they run, new appends queue up for the next one (group commit).</summary>
    public int Writers { get; set; } = 4;

    public CqlConsistency WriteConsistency { get; set; } = CqlConsistency.Quorum;

    public CqlConsistency ReadConsistency { get; set; } = CqlConsistency.Quorum;

    /// <summary>Rows per page of the row-per-event table earlier builds wrote.</summary>
    public int ReadPageSize { get; set; } = 2000;

    /// <summary>Blocks per page (each up to MaxBlockEvents events, tens of KB packed).</summary>
    public int BlockReadPageSize { get; set; } = 32;
}

using System.Collections.Concurrent;
using System.Text;
using Analytics.Abstractions.Lanes;
using Analytics.Cassandra.Storage;
using Analytics.Cql;

namespace Analytics.Cassandra.Lanes;

/// <summary>
/// The cluster profile's <see cref="ILaneStateStore"/>: one partition per lane in <c>{prefix}_state (lane, visitor)</c>,
/// whose static columns hold the lane's offset, watermark and expiry time, and whose rows hold its sessions (times as
/// UTC ticks, so they read back exactly). A checkpoint is ONE unlogged batch on that partition: Cassandra applies a
/// single-partition batch as one mutation, atomic and isolated, so a reader sees the old checkpoint or the new one whole.
/// <para>
/// A checkpoint whose sessions exceed <see cref="CassandraLaneStateStoreOptions.MaxBatchBytes"/> cannot go in one batch.
/// Writing the offset in the last of several batches would not do: a crash in between would leave sessions that already
/// include events after the stored offset, and the lane would apply those events to them twice on redelivery. Instead
/// all but the last part are first staged in a partition of their own, <c>{prefix}_staged ((lane, write_id), visitor)</c>;
/// the last batch on the lane's partition then writes the offset, the last part and a pointer to the staged write
/// (<c>staged</c>), atomically. Reads lay the staged sessions over the lane's rows while the pointer is set, so the
/// checkpoint becomes visible whole at that batch. The staged sessions are then copied into the lane's partition and
/// their partition dropped; if a crash comes first, the next read finds the pointer and the next write finishes the copy
/// before it writes anything. A crash before the last batch leaves only a staged partition nothing points at, which
/// expires with the sessions' TTL.
/// </para>
/// Expiry: every session is written with a TTL (<see cref="CassandraLaneStateStoreOptions.SessionTtl"/>); sessions that
/// ended before the checkpoint's <see cref="LaneCheckpointWrite.ExpireBefore"/> are left out of reads at once.
/// </summary>
public sealed class CassandraLaneStateStore : CassandraStore, ILaneStateStore
{
    /// <summary>
    /// How long the lane table keeps the tombstones of expired sessions: a day of a busy lane's expired rows would pass
    /// Cassandra's 100,000-tombstone read limit long before the default ten days, and a lane must always be readable.
    /// Three hours is the default hint window, so a replica that was down shorter still gets every delete.
    /// </summary>
    private const int GcGraceSeconds = 3 * 60 * 60;

    /// <summary>What a session costs in a batch besides its site and state: its statement's id, key, lengths and times.</summary>
    private const int SessionOverheadBytes = 96;

    private readonly CassandraLaneStateStoreOptions _options;
    private readonly string _state;
    private readonly string _staged;
    private readonly string _upsertSession;
    private readonly string _stageSession;
    private readonly string _writeCheckpoint;

    /// <summary>Staged sessions a read found behind the pointer, still to be copied before the lane's next write.</summary>
    private readonly ConcurrentDictionary<string, StagedWrite> _unfinished = new(StringComparer.Ordinal);

    public CassandraLaneStateStore(CassandraLaneStateStoreOptions options, ILoggerFactory? loggerFactory = null)
        : base("lane store", options, loggerFactory)
    {
        _options = options;
        _state = $"\"{options.Keyspace}\".\"{options.StateTable}\"";
        _staged = $"\"{options.Keyspace}\".\"{options.StagedTable}\"";
        var ttl = (long)options.SessionTtl.TotalSeconds;
        _upsertSession = $"INSERT INTO {_state} (lane, visitor, site, session_end, state) VALUES (?, ?, ?, ?, ?) USING TTL {ttl}";
        _stageSession = $"INSERT INTO {_staged} (lane, write_id, visitor, site, session_end, state) VALUES (?, ?, ?, ?, ?, ?) USING TTL {ttl}";
        _writeCheckpoint = $"UPDATE {_state} SET lane_offset = ?, watermark = ?, expire_before = ?, staged = ? WHERE lane = ?";
    }

    protected override IEnumerable<string> Validate() => CassandraLaneStateStoreOptionsValidator.Validate(_options);

    protected override void LogReady(ILogger logger) => logger.LogInformation(
        "Cassandra lane store ready on {Keyspace}.{Prefix}_* (sessions kept {Ttl} after their last checkpoint)", _options.Keyspace, _options.TablePrefix, _options.SessionTtl);

    /// <summary>
    /// Reads the static columns alone first: Cassandra 2.1.0 returns them as null on every page after the first
    /// (CASSANDRA-8502). Then pages through the lane's sessions, and those of a staged write the lane points at.
    /// </summary>
    public async Task<LaneCheckpoint> ReadAsync(string lane, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        var head = await ExecuteAsync(Statement($"SELECT lane_offset, watermark, expire_before, staged FROM {_state} WHERE lane = ? LIMIT 1",
            _options.ReadConsistency, lane), cancellationToken).ConfigureAwait(false);
        if (head.Rows.Count == 0 || head.Rows[0].IsNull("lane_offset"))
        {
            return LaneCheckpoint.Empty;
        }

        var checkpoint = head.Rows[0];
        var sessions = new Dictionary<ulong, StoredLaneSession>();
        await foreach (var session in ReadSessionsAsync(Statement($"SELECT visitor, site, session_end, state FROM {_state} WHERE lane = ?",
            _options.ReadConsistency, lane), cancellationToken).ConfigureAwait(false))
        {
            sessions[session.Visitor] = session;
        }

        if (!checkpoint.IsNull("staged"))
        {
            var write = checkpoint.GetGuid("staged");
            var staged = new List<StoredLaneSession>();
            await foreach (var session in ReadSessionsAsync(Statement($"SELECT visitor, site, session_end, state FROM {_staged} WHERE lane = ? AND write_id = ?",
                _options.ReadConsistency, lane, write), cancellationToken).ConfigureAwait(false))
            {
                staged.Add(session);
                sessions[session.Visitor] = session;
            }

            if (staged.Count > 0)
            {
                _unfinished[lane] = new StagedWrite(write, staged);
            }
        }

        var expireBefore = Time(checkpoint.GetInt64("expire_before"));
        return new LaneCheckpoint(checkpoint.GetInt64("lane_offset"), Time(checkpoint.GetInt64("watermark")),
            sessions.Values.Where(s => s.End >= expireBefore).ToList());
    }

    public async Task WriteAsync(string lane, LaneCheckpointWrite write, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(write);
        if (_unfinished.TryGetValue(lane, out var unfinished))
        {
            await FinishAsync(lane, unfinished, cancellationToken).ConfigureAwait(false);
            _unfinished.TryRemove(KeyValuePair.Create(lane, unfinished));
        }

        // One session per visitor, the last given, as in a sequence of upserts.
        var parts = Split(write.Sessions.Reverse().DistinctBy(s => s.Visitor).ToList());
        Guid? stagedWrite = parts.Count > 1 ? Guid.NewGuid() : null;
        var staged = parts.Take(parts.Count - 1).ToList();
        foreach (var part in staged)
        {
            await BatchAsync(part.Select(s => Statement(_stageSession, _options.WriteConsistency,
                lane, stagedWrite, unchecked((long)s.Visitor), s.Site, Ticks(s.End), s.State)), cancellationToken).ConfigureAwait(false);
        }

        // The commit point: the offset, the last part and the pointer to the staged parts in one single-partition batch.
        await BatchAsync(
            parts[^1].Select(s => Upsert(lane, s)).Prepend(Statement(_writeCheckpoint, _options.WriteConsistency,
                write.Offset, Ticks(write.Watermark), Ticks(write.ExpireBefore), stagedWrite, lane)),
            cancellationToken).ConfigureAwait(false);

        if (stagedWrite is { } id)
        {
            await FinishAsync(lane, new StagedWrite(id, staged.SelectMany(p => p).ToList()), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes the site's sessions from every lane's partition and every staged write. Cassandra 2.1 deletes rows only by
    /// their full key and cannot filter by site, so it lists each partition's sessions and deletes the site's by key.
    /// </summary>
    public async Task DeleteSiteAsync(string site, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(site);
        var lanes = new List<string>();
        await foreach (var row in QueryAsync(Statement($"SELECT DISTINCT lane FROM {_state}", _options.ReadConsistency), cancellationToken).ConfigureAwait(false))
        {
            lanes.Add(row.GetString("lane")!);
        }

        foreach (var lane in lanes)
        {
            var visitors = await VisitorsOfSiteAsync(Statement($"SELECT visitor, site FROM {_state} WHERE lane = ?", _options.ReadConsistency, lane), site,
                cancellationToken).ConfigureAwait(false);
            foreach (var chunk in visitors.Chunk(_options.ReadPageSize))
            {
                await BatchAsync(chunk.Select(v => Statement($"DELETE FROM {_state} WHERE lane = ? AND visitor = ?", _options.WriteConsistency, lane, v)),
                    cancellationToken).ConfigureAwait(false);
            }
        }

        var writes = new List<(string Lane, Guid Write)>();
        await foreach (var row in QueryAsync(Statement($"SELECT DISTINCT lane, write_id FROM {_staged}", _options.ReadConsistency), cancellationToken).ConfigureAwait(false))
        {
            writes.Add((row.GetString("lane")!, row.GetGuid("write_id")));
        }

        foreach (var (lane, write) in writes)
        {
            var visitors = await VisitorsOfSiteAsync(Statement($"SELECT visitor, site FROM {_staged} WHERE lane = ? AND write_id = ?",
                _options.ReadConsistency, lane, write), site, cancellationToken).ConfigureAwait(false);
            foreach (var chunk in visitors.Chunk(_options.ReadPageSize))
            {
                await BatchAsync(chunk.Select(v => Statement($"DELETE FROM {_staged} WHERE lane = ? AND write_id = ? AND visitor = ?",
                    _options.WriteConsistency, lane, write, v)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Copies a staged write's sessions into the lane's partition (idempotent: a crash midway is copied again), then drops it.</summary>
    private async Task FinishAsync(string lane, StagedWrite staged, CancellationToken cancellationToken)
    {
        foreach (var part in Split(staged.Sessions))
        {
            await BatchAsync(part.Select(s => Upsert(lane, s)), cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(Statement($"DELETE FROM {_staged} WHERE lane = ? AND write_id = ?", _options.WriteConsistency, lane, staged.Write),
            cancellationToken).ConfigureAwait(false);
    }

    private CqlStatement Upsert(string lane, StoredLaneSession session) => Statement(_upsertSession, _options.WriteConsistency,
        lane, unchecked((long)session.Visitor), session.Site, Ticks(session.End), session.State);

    /// <summary>Consecutive parts of at most <see cref="CassandraLaneStateStoreOptions.MaxBatchBytes"/>; at least one (maybe empty), for the checkpoint's batch.</summary>
    private List<List<StoredLaneSession>> Split(IReadOnlyList<StoredLaneSession> sessions)
    {
        var parts = new List<List<StoredLaneSession>> { new() };
        var bytes = 0;
        foreach (var session in sessions)
        {
            var size = SessionOverheadBytes + Encoding.UTF8.GetByteCount(session.Site) + session.State.Length;
            if (bytes + size > _options.MaxBatchBytes && parts[^1].Count > 0)
            {
                parts.Add([]);
                bytes = 0;
            }

            parts[^1].Add(session);
            bytes += size;
        }

        return parts;
    }

    private async IAsyncEnumerable<StoredLaneSession> ReadSessionsAsync(CqlStatement query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in QueryAsync(query with { PageSize = _options.ReadPageSize }, cancellationToken).ConfigureAwait(false))
        {
            // A partition with only its static columns reads as one row without a visitor.
            if (!row.IsNull("visitor"))
            {
                yield return new StoredLaneSession(unchecked((ulong)row.GetInt64("visitor")), row.GetString("site")!, Time(row.GetInt64("session_end")),
                    row.GetBytes("state") ?? []);
            }
        }
    }

    private async Task<List<long>> VisitorsOfSiteAsync(CqlStatement query, string site, CancellationToken cancellationToken)
    {
        var visitors = new List<long>();
        await foreach (var row in QueryAsync(query with { PageSize = _options.ReadPageSize }, cancellationToken).ConfigureAwait(false))
        {
            if (!row.IsNull("visitor") && row.GetString("site") == site)
            {
                visitors.Add(row.GetInt64("visitor"));
            }
        }

        return visitors;
    }

    private static long Ticks(DateTime time) => (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).Ticks;

    private static DateTime Time(long ticks) => new(ticks, DateTimeKind.Utc);

    /// <summary>Statements on one partition as one unlogged batch: one mutation, applied whole or not at all.</summary>
    private Task BatchAsync(IEnumerable<CqlStatement> statements, CancellationToken cancellationToken) =>
        PartitionBatchAsync(statements, _options.WriteConsistency, cancellationToken);

    protected override string[] Schema =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {_state} (
            lane text, visitor bigint, site text, session_end bigint, state blob,
            lane_offset bigint static, watermark bigint static, expire_before bigint static, staged uuid static,
            PRIMARY KEY (lane, visitor))
            WITH gc_grace_seconds = {GcGraceSeconds}
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {_staged} (
            lane text, write_id uuid, visitor bigint, site text, session_end bigint, state blob,
            PRIMARY KEY ((lane, write_id), visitor))
        """,
    ];

    /// <summary>The sessions of a checkpoint's staged parts.</summary>
    private sealed record StagedWrite(Guid Write, IReadOnlyList<StoredLaneSession> Sessions);
}

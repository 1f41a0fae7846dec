using System.Buffers;
using Analytics.Abstractions.Lanes;
using Analytics.Sqlite.Storage;

namespace Analytics.Sqlite.Lanes;

/// <summary>
/// The embedded profile's <see cref="ILaneStateStore"/>: one SQLite file (lanes.db) with a row per lane (offset,
/// watermark, expiry time) and the lane's sessions as a log of parts: a checkpoint appends the sessions it changed as
/// ONE part (a blob of <see cref="LaneSessionRecords"/>, the cluster store's format too), and once the parts appended since the last compaction outweigh the
/// compacted ones, the lane's parts are merged (latest session per visitor, expired ones dropped) into fresh parts.
/// A row per session upserted in place would touch a random page of the b-tree per session (visitor hashes are random):
/// about ten times the work per checkpoint, measured. Reads merge the parts the same way and leave out what expired.
/// <para>
/// Checkpoints queue to one writer (<see cref="SqliteWriteQueue{TWrite}"/>) that commits whatever queued meanwhile in one
/// transaction, each checkpoint inside its own savepoint: a checkpoint is stored whole or not at all, and one that fails
/// does not take the others with it.
/// Reads use a second connection inside a read transaction, so they see a lane's row and parts of one commit.
/// </para>
/// </summary>
public sealed class SqliteLaneStateStore : SqliteStore, ILaneStateStore
{
    /// <summary>The most a compacted part holds, so that no blob grows with the lane.</summary>
    private const int MaxPartBytes = 1024 * 1024;

    /// <summary>Appended bytes below which a lane is not compacted, however small its compacted parts.</summary>
    private const int MinCompactionBytes = 1024 * 1024;

    // Times are UTC ticks. next_part numbers the lane's parts; compacted_bytes and appended_bytes weigh them.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS lane_checkpoints (
            lane TEXT NOT NULL PRIMARY KEY,
            last_offset INTEGER NOT NULL,
            watermark INTEGER NOT NULL,
            expire_before INTEGER NOT NULL,
            next_part INTEGER NOT NULL,
            compacted_bytes INTEGER NOT NULL,
            appended_bytes INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS lane_parts (
            lane TEXT NOT NULL,
            part INTEGER NOT NULL,
            sessions BLOB NOT NULL,
            UNIQUE (lane, part)
        );
        """;

    private readonly SqliteWriteQueue<PendingWrite> _writes;
    private readonly SqliteStatement _selectLog;
    private readonly SqliteStatement _selectLanes;
    private readonly SqliteStatement _upsertCheckpoint;
    private readonly SqliteStatement _updateLog;
    private readonly SqliteStatement _insertPart;
    private readonly SqliteStatement _selectPartsForCompaction;

    // The part being written and the parts being compacted; only the writer uses them, one checkpoint at a time. Kept:
    // a compaction reads a whole lane (tens of MB for a million visitors), which would be a fresh large object each time.
    private readonly ArrayBufferWriter<byte> _part = new(64 * 1024);
    private readonly LaneSessionCompaction _compaction = new(MaxPartBytes);
    private readonly SqliteStatement _deleteParts;
    private readonly SqliteStatement _selectCheckpoint;
    private readonly SqliteStatement _selectParts;

    public SqliteLaneStateStore(string path, SqliteLaneStateStoreOptions options)
        : base(path, Schema, options.CacheKiB)
    {
        _selectLog = Prepare(Writer, "SELECT next_part, compacted_bytes, appended_bytes FROM lane_checkpoints WHERE lane = ?1");
        _selectLanes = Prepare(Writer, "SELECT lane, expire_before FROM lane_checkpoints");
        _upsertCheckpoint = Prepare(Writer, """
            INSERT INTO lane_checkpoints (lane, last_offset, watermark, expire_before, next_part, compacted_bytes, appended_bytes)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (lane) DO UPDATE SET last_offset = excluded.last_offset, watermark = excluded.watermark, expire_before = excluded.expire_before,
                next_part = excluded.next_part, compacted_bytes = excluded.compacted_bytes, appended_bytes = excluded.appended_bytes
            """);
        _updateLog = Prepare(Writer, "UPDATE lane_checkpoints SET next_part = ?2, compacted_bytes = ?3, appended_bytes = 0 WHERE lane = ?1");
        _insertPart = Prepare(Writer, "INSERT INTO lane_parts (lane, part, sessions) VALUES (?1, ?2, ?3)");
        _selectPartsForCompaction = Prepare(Writer, "SELECT sessions FROM lane_parts WHERE lane = ?1 ORDER BY part");
        _deleteParts = Prepare(Writer, "DELETE FROM lane_parts WHERE lane = ?1");
        _selectCheckpoint = Prepare(Reader, "SELECT last_offset, watermark, expire_before FROM lane_checkpoints WHERE lane = ?1");
        _selectParts = Prepare(Reader, "SELECT sessions FROM lane_parts WHERE lane = ?1 ORDER BY part");
        _writes = new(Writer, ReadLock, options.MaxWriteBatch, Apply, w => w.Site is not null);
    }

    public Task<LaneCheckpoint> ReadAsync(string lane, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        return ReadInTransactionAsync(() =>
        {
            try
            {
                if (!_selectCheckpoint.Bind(1, lane).Read())
                {
                    return LaneCheckpoint.Empty;
                }

                var offset = _selectCheckpoint.Int64(0);
                var watermark = Utc(_selectCheckpoint.Int64(1));
                var expireBefore = Utc(_selectCheckpoint.Int64(2));
                var sessions = Merge(_selectParts.Bind(1, lane));
                return new LaneCheckpoint(offset, watermark, sessions.Values.Where(s => s.End >= expireBefore).ToList());
            }
            finally
            {
                _selectCheckpoint.Reset();
                _selectParts.Reset();
            }
        }, cancellationToken);
    }

    /// <summary>Completes once the checkpoint committed; a caller that stops waiting (cancellation) does not stop the commit.</summary>
    public Task WriteAsync(string lane, LaneCheckpointWrite write, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(write);
        return _writes.EnqueueAsync(new PendingWrite(lane, write, Site: null), cancellationToken);
    }

    /// <summary>
    /// Compacts every lane without the site's sessions, then empties the write-ahead log, so the erased bytes live on in
    /// neither file (secure_delete zeroes the pages the old parts leave).
    /// </summary>
    public Task DeleteSiteAsync(string site, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(site);
        return _writes.EnqueueAsync(new PendingWrite(Lane: null, Checkpoint: null, site), cancellationToken);
    }

    private protected override ValueTask CloseWritesAsync() => _writes.DisposeAsync();

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    private static long Ticks(DateTime time) => LaneSessionRecords.Ticks(time);

    private void Apply(PendingWrite write)
    {
        if (write.Site is { } site)
        {
            EraseSite(site);
        }
        else
        {
            Checkpoint(write.Lane!, write.Checkpoint!);
        }
    }

    /// <summary>Appends the changed sessions as one part, compacts the lane when its appended parts outweigh its compacted ones, then stores the checkpoint.</summary>
    private void Checkpoint(string lane, LaneCheckpointWrite write)
    {
        var (nextPart, compacted, appended) = _selectLog.Bind(1, lane).Read() ? (_selectLog.Int64(0), _selectLog.Int64(1), _selectLog.Int64(2)) : (0L, 0L, 0L);
        _selectLog.Reset();
        if (write.Sessions.Count > 0)
        {
            _part.ResetWrittenCount();
            foreach (var session in write.Sessions)
            {
                LaneSessionRecords.Write(session, _part);
            }

            _insertPart.Bind(1, lane).Bind(2, nextPart++).Bind(3, _part.WrittenSpan).Execute();
            appended += _part.WrittenCount;
        }

        var expireBefore = Ticks(write.ExpireBefore);
        if (appended > Math.Max(compacted, MinCompactionBytes))
        {
            (nextPart, compacted) = Compact(lane, expireBefore, dropSite: null);
            appended = 0;
        }

        _upsertCheckpoint.Bind(1, lane).Bind(2, write.Offset).Bind(3, Ticks(write.Watermark)).Bind(4, expireBefore)
            .Bind(5, nextPart).Bind(6, compacted).Bind(7, appended).Execute();
    }

    private void EraseSite(string site)
    {
        var lanes = new List<(string Lane, long ExpireBefore)>();
        while (_selectLanes.Read())
        {
            lanes.Add((_selectLanes.Text(0), _selectLanes.Int64(1)));
        }

        foreach (var (lane, expireBefore) in lanes)
        {
            var (nextPart, compacted) = Compact(lane, expireBefore, site);
            _updateLog.Bind(1, lane).Bind(2, nextPart).Bind(3, compacted).Execute();
        }
    }

    /// <summary>
    /// Rewrites a lane's parts as the latest session per visitor, without expired ones (and a site being erased); returns
    /// the next part number and the bytes written.
    /// </summary>
    private (long NextPart, long Bytes) Compact(string lane, long expireBefore, string? dropSite)
    {
        _compaction.Clear();
        var parts = _selectPartsForCompaction.Bind(1, lane);
        while (parts.Read())
        {
            _compaction.Add(parts.Blob(0));
        }

        _deleteParts.Bind(1, lane).Execute();
        var next = 0L;
        var bytes = 0L;
        foreach (var part in _compaction.Parts(expireBefore, dropSite is null ? null : [dropSite]))
        {
            _insertPart.Bind(1, lane).Bind(2, next++).Bind(3, part.Span).Execute();
            bytes += part.Length;
        }

        return (next, bytes);
    }

    /// <summary>The sessions of a lane's parts read in order: a later part's session of a visitor replaces an earlier one's.</summary>
    private static Dictionary<ulong, StoredLaneSession> Merge(SqliteStatement parts)
    {
        var sessions = new Dictionary<ulong, StoredLaneSession>();
        while (parts.Read())
        {
            LaneSessionRecords.ReadInto(parts.Blob(0), sessions);
        }

        return sessions;
    }

    /// <summary>One queued write: a lane's checkpoint, or (with <see cref="Site"/>) a site's erasure.</summary>
    private sealed record PendingWrite(string? Lane, LaneCheckpointWrite? Checkpoint, string? Site);
}

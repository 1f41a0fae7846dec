using System.Threading.Channels;
using Analytics.Abstractions.Lanes;
using Analytics.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Analytics.Sqlite.Lanes;

/// <summary>
/// The embedded profile's <see cref="ILaneStateStore"/>: one SQLite file (lanes.db) with a row per lane (offset,
/// watermark) and a row per stored session, keyed by (lane, visitor). Checkpoints queue to one writer that commits
/// whatever queued meanwhile in one transaction, each checkpoint inside its own savepoint: a checkpoint is stored whole or
/// not at all, and one that fails does not take the others with it. Expiry runs in the checkpoint's savepoint, through
/// an index on (lane, end), so it costs a short range scan. Reads use a second connection inside a read transaction,
/// so they see a lane's checkpoint and sessions of one commit.
/// </summary>
public sealed class SqliteLaneStateStore : ILaneStateStore, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly int _maxWriteBatch;
    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly SemaphoreSlim _readLock = new(1, 1);
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new() { SingleReader = true });
    private readonly SqliteStatement _upsertCheckpoint;
    private readonly SqliteStatement _upsertSession;
    private readonly SqliteStatement _expire;
    private readonly SqliteStatement _deleteSite;
    private readonly SqliteStatement _begin;
    private readonly SqliteStatement _commit;
    private readonly SqliteStatement _rollback;
    private readonly SqliteStatement _savepoint;
    private readonly SqliteStatement _release;
    private readonly SqliteStatement _rollbackToSavepoint;
    private readonly SqliteStatement _beginRead;
    private readonly SqliteStatement _endRead;
    private readonly SqliteStatement _selectCheckpoint;
    private readonly SqliteStatement _selectSessions;
    private readonly Task _writeLoop;
    private int _disposed;

    public SqliteLaneStateStore(string path, SqliteLaneStateStoreOptions options)
    {
        _maxWriteBatch = options.MaxWriteBatch;
        _writer = SqliteDatabase.Open(path);
        // WITHOUT ROWID: rows are small and always reached by their key, which then is the table's own b-tree.
        // Times are UTC ticks; visitors are the hash's 64 bits as a signed integer.
        SqliteDatabase.Execute(_writer, $"""
            CREATE TABLE IF NOT EXISTS lane_checkpoints (
                lane TEXT NOT NULL PRIMARY KEY,
                last_offset INTEGER NOT NULL,
                watermark INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS lane_sessions (
                lane TEXT NOT NULL,
                visitor INTEGER NOT NULL,
                site TEXT NOT NULL,
                session_end INTEGER NOT NULL,
                state BLOB NOT NULL,
                PRIMARY KEY (lane, visitor)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS lane_sessions_by_end ON lane_sessions (lane, session_end);
            PRAGMA cache_size = -{options.CacheKiB};
            """);
        _reader = SqliteDatabase.Open(path);
        SqliteDatabase.Execute(_reader, $"PRAGMA cache_size = -{options.CacheKiB}");
        _upsertCheckpoint = new(_writer, """
            INSERT INTO lane_checkpoints (lane, last_offset, watermark) VALUES (?1, ?2, ?3)
            ON CONFLICT (lane) DO UPDATE SET last_offset = excluded.last_offset, watermark = excluded.watermark
            """);
        _upsertSession = new(_writer, """
            INSERT INTO lane_sessions (lane, visitor, site, session_end, state) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (lane, visitor) DO UPDATE SET site = excluded.site, session_end = excluded.session_end, state = excluded.state
            """);
        _expire = new(_writer, "DELETE FROM lane_sessions WHERE lane = ?1 AND session_end < ?2");
        // Erasure is rare: a scan of every lane's sessions beats an index on site that every checkpoint would maintain.
        _deleteSite = new(_writer, "DELETE FROM lane_sessions WHERE site = ?1");
        _begin = new(_writer, "BEGIN IMMEDIATE");
        _commit = new(_writer, "COMMIT");
        _rollback = new(_writer, "ROLLBACK");
        _savepoint = new(_writer, "SAVEPOINT lane_write");
        _release = new(_writer, "RELEASE lane_write");
        _rollbackToSavepoint = new(_writer, "ROLLBACK TO lane_write");
        _beginRead = new(_reader, "BEGIN");
        _endRead = new(_reader, "COMMIT");
        _selectCheckpoint = new(_reader, "SELECT last_offset, watermark FROM lane_checkpoints WHERE lane = ?1");
        _selectSessions = new(_reader, "SELECT visitor, site, session_end, state FROM lane_sessions WHERE lane = ?1");
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Closes the store after the grains have stopped writing (they deactivate at a later stage of the silo's stop).</summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SqliteLaneStateStore), ServiceLifecycleStage.ApplicationServices, _ => Task.CompletedTask, _ => DisposeAsync().AsTask());

    public async Task<LaneCheckpoint> ReadAsync(string lane, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        await _readLock.WaitAsync(cancellationToken);
        try
        {
            _beginRead.Execute();
            try
            {
                if (!_selectCheckpoint.Bind(1, lane).Read())
                {
                    return LaneCheckpoint.Empty;
                }

                var offset = _selectCheckpoint.Int64(0);
                var watermark = Utc(_selectCheckpoint.Int64(1));
                var sessions = new List<StoredLaneSession>();
                _selectSessions.Bind(1, lane);
                while (_selectSessions.Read())
                {
                    sessions.Add(new StoredLaneSession(
                        unchecked((ulong)_selectSessions.Int64(0)), _selectSessions.Text(1), Utc(_selectSessions.Int64(2)), _selectSessions.Blob(3).ToArray()));
                }

                return new LaneCheckpoint(offset, watermark, sessions);
            }
            finally
            {
                _selectCheckpoint.Reset();
                _selectSessions.Reset();
                _endRead.Execute();
            }
        }
        finally
        {
            _readLock.Release();
        }
    }

    /// <summary>Completes once the checkpoint committed; a caller that stops waiting (cancellation) does not stop the commit.</summary>
    public Task WriteAsync(string lane, LaneCheckpointWrite write, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(write);
        return EnqueueAsync(new PendingWrite(lane, write, Site: null), cancellationToken);
    }

    /// <summary>Deletes the site's sessions and then empties the write-ahead log, so the erased bytes live on in neither file.</summary>
    public Task DeleteSiteAsync(string site, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(site);
        return EnqueueAsync(new PendingWrite(Lane: null, Checkpoint: null, site), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Queued writes still commit: their callers are waiting for them.
        _writes.Writer.TryComplete();
        await _writeLoop;
        foreach (var statement in new[]
        {
            _upsertCheckpoint, _upsertSession, _expire, _deleteSite, _begin, _commit, _rollback, _savepoint, _release,
            _rollbackToSavepoint, _beginRead, _endRead, _selectCheckpoint, _selectSessions,
        })
        {
            statement.Dispose();
        }

        _reader.Dispose();
        _writer.Dispose();
        _readLock.Dispose();
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    private static long Ticks(DateTime time) => (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).Ticks;

    private Task EnqueueAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_writes.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteLaneStateStore));
        }

        return write.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(_maxWriteBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxWriteBatch && _writes.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                var failed = Commit(batch);
                if (batch.Exists(w => w.Site is not null && !failed.ContainsKey(w)))
                {
                    // No read may hold a snapshot while the log is truncated, or erased pages would outlive it there.
                    await _readLock.WaitAsync();
                    try
                    {
                        SqliteDatabase.Checkpoint(_writer);
                    }
                    finally
                    {
                        _readLock.Release();
                    }
                }

                foreach (var write in batch)
                {
                    if (failed.TryGetValue(write, out var error))
                    {
                        write.Done.TrySetException(error);
                    }
                    else
                    {
                        write.Done.TrySetResult();
                    }
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(w => w.Done.TrySetException(ex));
            }

            batch.Clear();
        }
    }

    /// <summary>
    /// Applies the writes in one transaction, each in a savepoint: one that fails is rolled back alone and returned with
    /// its error. If the commit itself fails, none is stored and the caller fails them all.
    /// </summary>
    private Dictionary<PendingWrite, Exception> Commit(List<PendingWrite> batch)
    {
        var failed = new Dictionary<PendingWrite, Exception>(ReferenceEqualityComparer.Instance);
        _begin.Execute();
        try
        {
            foreach (var write in batch)
            {
                _savepoint.Execute();
                try
                {
                    Apply(write);
                }
                catch (SqliteException ex)
                {
                    _rollbackToSavepoint.Execute();
                    failed[write] = ex;
                }

                _release.Execute();
            }

            _commit.Execute();
            return failed;
        }
        catch
        {
            try
            {
                _rollback.Execute();
            }
            catch (SqliteException)
            {
                // SQLite already rolled the transaction back.
            }

            throw;
        }
    }

    private void Apply(PendingWrite write)
    {
        if (write.Site is { } site)
        {
            _deleteSite.Bind(1, site).Execute();
            return;
        }

        var lane = write.Lane!;
        var checkpoint = write.Checkpoint!;
        _upsertCheckpoint.Bind(1, lane).Bind(2, checkpoint.Offset).Bind(3, Ticks(checkpoint.Watermark)).Execute();
        foreach (var session in checkpoint.Sessions)
        {
            _upsertSession.Bind(1, lane).Bind(2, unchecked((long)session.Visitor)).Bind(3, session.Site).Bind(4, Ticks(session.End))
                .Bind(5, session.State.Span).Execute();
        }

        _expire.Bind(1, lane).Bind(2, Ticks(checkpoint.ExpireBefore)).Execute();
    }

    /// <summary>One queued write: a lane's checkpoint, or (with <see cref="Site"/>) a site's erasure.</summary>
    private sealed record PendingWrite(string? Lane, LaneCheckpointWrite? Checkpoint, string? Site)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

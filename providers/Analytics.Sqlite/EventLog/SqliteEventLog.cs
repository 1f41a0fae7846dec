using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Analytics.Abstractions.Ingestion;
using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Analytics.Sqlite.EventLog;

/// <summary>
/// The embedded profile's durable event log: what Kafka is in a cluster. Appends are group-committed (many beacons,
/// one transaction) and acknowledged only once committed. Each event goes to the lane of its visitor key and is read
/// back in order by the SQLite stream provider (<see cref="Streams.SqliteQueueAdapterReceiver"/>, one Orleans queue per
/// lane), which checkpoints a lane after the grains have its events. A lane's reader that keeps up takes the rows from
/// memory (<see cref="LaneTail"/>): the log must be its file's only writer while open.
/// </summary>
public sealed class SqliteEventLog : IEventSink, IAsyncDisposable
{
    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly SemaphoreSlim _readLock = new(1, 1);
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(new() { SingleReader = true });
    private readonly EventLogOptions _options;
    private readonly string _path;
    private readonly Task _writerLoop;
    // The write loop's own: the insert bound from a reused buffer, no parameter objects or array per event.
    private readonly SqliteTransactionStatements _transaction;
    private readonly Action<List<PendingAppend>> _insertAll;
    private readonly SqliteStatement _insert;
    private readonly ArrayBufferWriter<byte> _envelope = new(1024);
    private readonly Utf8JsonWriter _envelopeWriter;
    private SqliteStatement? _laneRead;
    private readonly LaneTail[] _tails;
    // Held by a commit until its rows are in the tails, and by a site's deletion until they are out of them.
    private readonly Lock _publish = new();
    // The last sequence committed and in the tails: every row at or below it is readable from the file and the tails.
    private long _committed;

    public SqliteEventLog(IOptions<SqliteStorageOptions> storage, IOptions<EventLogOptions> options)
    {
        _options = options.Value;
        var path = _path = storage.Value.EventLogPath;
        _writer = SqliteDatabase.Open(path);
        SqliteDatabase.Execute(_writer, """
            CREATE TABLE IF NOT EXISTS events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                lane INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                envelope BLOB NOT NULL
            );
            CREATE INDEX IF NOT EXISTS events_by_lane ON events (lane, seq);
            CREATE TABLE IF NOT EXISTS checkpoints (lane INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
            """);
        AddSiteColumn(_writer);
        StartSequenceAtTheClock(_writer);
        _committed = LastSequence(_writer);
        _tails = [.. Enumerable.Range(0, _options.Lanes).Select(_ => new LaneTail(_options.TailRows, _committed))];
        _reader = SqliteDatabase.Open(path);
        _transaction = new SqliteTransactionStatements(_writer);
        _insertAll = InsertAll;
        _insert = new SqliteStatement(_writer, "INSERT INTO events (lane, received_at, envelope, site) VALUES (?1, ?2, ?3, ?4)");
        _envelopeWriter = new Utf8JsonWriter(_envelope);
        _writerLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Signalled after each commit so lane readers wake without polling.</summary>
    public event Action? Appended;

    public int Lanes => _options.Lanes;

    public async ValueTask AppendAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(envelope);
        await _appends.Writer.WriteAsync(pending, cancellationToken);
        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    public int LaneOf(string visitorKey)
    {
        var length = System.Text.Encoding.UTF8.GetMaxByteCount(visitorKey.Length);
        var utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = System.Text.Encoding.UTF8.GetBytes(visitorKey, utf8);
        return (int)(System.IO.Hashing.XxHash32.HashToUInt32(utf8[..written]) % (uint)_options.Lanes);
    }

    /// <summary>Up to <paramref name="max"/> rows of the lane after <paramref name="afterSeq"/>, in order, as stored (UTF-8 JSON envelopes).</summary>
    public async Task<IReadOnlyList<(long Seq, byte[] Envelope)>> ReadAsync(int lane, long afterSeq, int max, CancellationToken cancellationToken) =>
        await ReadFileAsync(lane, afterSeq, max, static (seq, envelope) => (seq, envelope.ToArray()), cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> rows of the lane after <paramref name="afterSeq"/>, in order: from the lane's tail in
    /// memory when no row after <paramref name="afterSeq"/> has left it, else from the file, each envelope decoded straight
    /// from SQLite's row buffer. A caught-up reader passes the returned <see cref="LaneRead.ReadUpTo"/> back as the next
    /// <paramref name="afterSeq"/>.
    /// </summary>
    public async Task<LaneRead> ReadLaneAsync(int lane, long afterSeq, int max, CancellationToken cancellationToken)
    {
        // Read before the rows: every row at or below it is in the tail or visible to the file read that follows.
        var committed = Volatile.Read(ref _committed);
        var rows = new List<LogRow>();
        var fromMemory = _tails[lane].TryTake(afterSeq, max, rows);
        if (!fromMemory)
        {
            rows = await ReadFileAsync(lane, afterSeq, max, Decode, cancellationToken);
        }

        var last = rows.Count > 0 ? rows[^1].Seq : afterSeq;
        return new LaneRead(rows, rows.Count < max ? Math.Max(last, committed) : last, fromMemory);
    }

    private static LogRow Decode(long seq, ReadOnlySpan<byte> envelope)
    {
        try
        {
            return new LogRow(seq, EventEnvelope.FromUtf8Bytes(envelope).Event, null);
        }
        catch (Exception ex)
        {
            return new LogRow(seq, null, ex);
        }
    }

    /// <summary>Rows of the lane from the file, each handed to <paramref name="read"/> straight from SQLite's row buffer.</summary>
    private Task<List<T>> ReadFileAsync<T>(int lane, long afterSeq, int max, LogRowReader<T> read, CancellationToken cancellationToken) =>
        OnReaderAsync(connection =>
        {
            var statement = _laneRead ??= new SqliteStatement(connection, "SELECT seq, envelope FROM events WHERE lane = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
            var batch = new List<T>(Math.Min(max, 1024));
            try
            {
                statement.Bind(1, lane).Bind(2, afterSeq).Bind(3, max);
                while (statement.Read())
                {
                    batch.Add(read(statement.Int64(0), statement.Blob(1)));
                }
            }
            finally
            {
                statement.Reset();
            }

            return batch;
        }, cancellationToken);

    public Task<long> ReadCheckpointAsync(int lane, CancellationToken cancellationToken) =>
        OnReaderAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq FROM checkpoints WHERE lane = $l";
            command.Parameters.AddWithValue("$l", lane);
            return command.ExecuteScalar() is long seq ? seq : 0;
        }, cancellationToken);

    public Task WriteCheckpointAsync(int lane, long seq, CancellationToken cancellationToken) =>
        OnReaderAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO checkpoints (lane, seq) VALUES ($l, $s) ON CONFLICT (lane) DO UPDATE SET seq = excluded.seq";
            command.Parameters.AddWithValue("$l", lane);
            command.Parameters.AddWithValue("$s", seq);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>
    /// A new log numbers its events from the current Unix time in microseconds, not from 1. Lane checkpoints (lanes.db)
    /// and segments remember the positions they reached and skip what lies at or below them, as redelivery; were
    /// events.db deleted and made again from 1, its events would be skipped until the new numbers passed the old ones.
    /// The clock is ahead of any earlier log's numbers unless that log took over a million events a second on average.
    /// </summary>
    private static void StartSequenceAtTheClock(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO sqlite_sequence (name, seq)
            SELECT 'events', $now WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events') AND NOT EXISTS (SELECT 1 FROM events)
            """;
        command.Parameters.AddWithValue("$now", (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10);
        command.ExecuteNonQuery();
    }

    /// <summary>The highest sequence the log has handed out (AUTOINCREMENT never hands it out again).</summary>
    private static long LastSequence(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// The site of each row, for export and erasure by site. Files written before the column existed get it here,
    /// filled from their envelopes once. The rows are indexed by receipt time, not by site: a commit adds to the end of
    /// a time index, where an index by site took a page of its own for every site in the commit (a third of the log's
    /// writes at ingest rates); an export reads the time range and keeps its site's rows, an erasure reads the log.
    /// </summary>
    private static void AddSiteColumn(SqliteConnection connection)
    {
        using var probe = connection.CreateCommand();
        probe.CommandText = "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'site'";
        if ((long)probe.ExecuteScalar()! == 0)
        {
            SqliteDatabase.Execute(connection, """
                BEGIN;
                ALTER TABLE events ADD COLUMN site TEXT;
                UPDATE events SET site = json_extract(CAST(envelope AS TEXT), '$.event.site');
                COMMIT;
                """);
        }

        SqliteDatabase.Execute(connection, "DROP INDEX IF EXISTS events_by_site; CREATE INDEX IF NOT EXISTS events_by_time ON events (received_at);");
    }

    /// <summary>
    /// The site's events received in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), in log order, on a
    /// connection of their own: a long export never holds up the lanes.
    /// </summary>
    public async IAsyncEnumerable<TrackedEvent> ReadSiteAsync(string site, DateTime fromUtc, DateTime toUtc, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var connection = SqliteDatabase.Open(_path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT envelope FROM events WHERE site = $s AND received_at >= $f AND received_at < $t ORDER BY received_at, seq";
        command.Parameters.AddWithValue("$s", site);
        command.Parameters.AddWithValue("$f", fromUtc.Ticks);
        command.Parameters.AddWithValue("$t", toUtc.Ticks);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return EventEnvelope.FromUtf8Bytes((byte[])reader[0]).Event;
        }
    }

    /// <summary>Deletes every event of the site, consumed or not (an erased site's pending events must not be counted).</summary>
    public Task<int> DeleteSiteAsync(string site, CancellationToken cancellationToken) =>
        OnReaderAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM events WHERE site = $s";
            command.Parameters.AddWithValue("$s", site);
            lock (_publish)
            {
                var deleted = command.ExecuteNonQuery();
                foreach (var tail in _tails)
                {
                    tail.RemoveSite(site);
                }

                return deleted;
            }
        }, cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="max"/> events received before <paramref name="cutoffUtc"/> that the stream has
    /// already delivered (at or below their lane's checkpoint); an undelivered event is never purged.
    /// </summary>
    public Task<int> PurgeDeliveredAsync(DateTime cutoffUtc, int max, CancellationToken cancellationToken) =>
        OnReaderAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                DELETE FROM events WHERE seq IN (
                    SELECT e.seq FROM events e JOIN checkpoints c ON c.lane = e.lane
                    WHERE e.seq <= c.seq AND e.received_at < $cut ORDER BY e.seq LIMIT $n)
                """;
            command.Parameters.AddWithValue("$cut", cutoffUtc.Ticks);
            command.Parameters.AddWithValue("$n", max);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Copies the write-ahead log into the file and empties it, so deleted rows live on in neither.</summary>
    public Task CheckpointAsync(CancellationToken cancellationToken) =>
        OnReaderAsync(connection => SqliteDatabase.Checkpoint(connection), cancellationToken);

    /// <summary>The lanes share one reading connection (checkpoints included); appends have their own.</summary>
    private async Task<T> OnReaderAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _readLock.WaitAsync(cancellationToken);
        try
        {
            return work(_reader);
        }
        finally
        {
            _readLock.Release();
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(_options.MaxAppendBatch);
        while (await _appends.Reader.WaitToReadAsync())
        {
            while (batch.Count < _options.MaxAppendBatch && _appends.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                Commit(batch);
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetResult();
                }

                Appended?.Invoke();
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetException(new EventSinkUnavailableException("The embedded event log could not commit.", ex));
                }
            }

            batch.Clear();
        }
    }

    private void Commit(List<PendingAppend> batch)
    {
        lock (_publish)
        {
            _transaction.Run(batch, _insertAll);
            foreach (var pending in batch)
            {
                _tails[pending.Lane].Add(pending.Seq, pending.Envelope.Event);
            }

            Volatile.Write(ref _committed, batch[^1].Seq);
        }
    }

    private void InsertAll(List<PendingAppend> batch)
    {
        foreach (var pending in batch)
        {
            var envelope = pending.Envelope;
            _envelope.ResetWrittenCount();
            _envelopeWriter.Reset();
            envelope.WriteUtf8(_envelopeWriter);
            pending.Lane = LaneOf(envelope.Event.VisitorKey);
            _insert.Bind(1, pending.Lane).Bind(2, envelope.ReceivedAt.Ticks).Bind(3, _envelope.WrittenSpan).Bind(4, envelope.Event.Site).Execute();
            pending.Seq = _insert.LastInsertRowId;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        await _writerLoop;
        _transaction.Dispose();
        _insert.Dispose();
        _envelopeWriter.Dispose();
        _writer.Dispose();
        _laneRead?.Dispose();
        _reader.Dispose();
        _readLock.Dispose();
    }

    private sealed record PendingAppend(EventEnvelope Envelope)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Where the write loop put it.</summary>
        public int Lane { get; set; }

        public long Seq { get; set; }
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;
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
/// memory (<see cref="LaneTail"/>): the log must be its file's only writer while open. One further behind reads the
/// file in log order, every lane's rows at once, and the other lanes keep theirs (<see cref="LaneBacklog"/>): the rows
/// are not indexed by lane, which cost a page write per lane per commit, nor by receipt time (<see cref="ReceiptSpans"/>).
/// Rows are written in <see cref="BinaryEventEnvelope"/>'s form; those of earlier builds (JSON) are read as they are.
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
    private readonly ReceiptSpans _spans;
    private SqliteStatement? _logRead;
    private readonly LaneTail[] _tails;
    // Under the read lock: the rows each lane has of reads made for others, and how far each lane's reader has read.
    private readonly LaneBacklog[] _backlogs;
    private readonly long[] _positions;
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
            DROP INDEX IF EXISTS events_by_lane;
            CREATE TABLE IF NOT EXISTS checkpoints (lane INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
            """);
        AddSiteColumn(_writer);
        _spans = new ReceiptSpans(_writer, _options.ReceiptSpanRows);
        StartSequenceAtTheClock(_writer);
        _committed = LastSequence(_writer);
        _tails = [.. Enumerable.Range(0, _options.Lanes).Select(_ => new LaneTail(_options.TailRows, _committed))];
        _backlogs = [.. Enumerable.Range(0, _options.Lanes).Select(_ => new LaneBacklog(_options.BacklogRows))];
        _positions = Checkpoints(_writer, _options.Lanes);
        _reader = SqliteDatabase.Open(path);
        SqliteDatabase.Execute(_reader, $"PRAGMA cache_size=-{_options.ReadCacheKiB}");
        _transaction = new SqliteTransactionStatements(_writer);
        _insertAll = InsertAll;
        _insert = new SqliteStatement(_writer, "INSERT INTO events (lane, received_at, envelope, site) VALUES (?1, ?2, ?3, ?4)");
        _writerLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Signalled after each commit so lane readers wake without polling.</summary>
    public event Action? Appended;

    public int Lanes => _options.Lanes;

    public ValueTask AppendAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        // Cancelled before it is taken, an event is not appended. Once taken it is not cancelled with the request: a commit
        // takes milliseconds and always ends (the write loop completes every append it takes), and waiting with the token
        // cost a cancellation promise and a registration per event. Not an async method: its state machine was one more
        // object and one more step to resume per event.
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        // The channel is unbounded: a write fails only once the log is closed.
        var pending = new PendingAppend(envelope);
        return _appends.Writer.TryWrite(pending)
            ? new ValueTask(pending.Task)
            : ValueTask.FromException(new EventSinkUnavailableException("The embedded event log is closed."));
    }

    public int LaneOf(string visitorKey)
    {
        var length = System.Text.Encoding.UTF8.GetMaxByteCount(visitorKey.Length);
        var utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = System.Text.Encoding.UTF8.GetBytes(visitorKey, utf8);
        return (int)(System.IO.Hashing.XxHash32.HashToUInt32(utf8[..written]) % (uint)_options.Lanes);
    }

    /// <summary>
    /// Up to <paramref name="max"/> rows of the lane after <paramref name="afterSeq"/>, in order, as stored (envelopes in
    /// either form, <see cref="EventEnvelope.FromBytes"/>), read from the file through every lane's rows: for inspection,
    /// not for the lanes' readers.
    /// </summary>
    public Task<IReadOnlyList<(long Seq, byte[] Envelope)>> ReadAsync(int lane, long afterSeq, int max, CancellationToken cancellationToken) =>
        OnReaderAsync<IReadOnlyList<(long Seq, byte[] Envelope)>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, envelope FROM events WHERE seq > $after AND lane = $lane ORDER BY seq LIMIT $max";
            command.Parameters.AddWithValue("$after", afterSeq);
            command.Parameters.AddWithValue("$lane", lane);
            command.Parameters.AddWithValue("$max", max);
            using var reader = command.ExecuteReader();
            var rows = new List<(long, byte[])>();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), (byte[])reader[1]));
            }

            return rows;
        }, cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> rows of the lane after <paramref name="afterSeq"/>, in order: from the lane's tail in
    /// memory when no row after <paramref name="afterSeq"/> has left it, else from what an earlier read of the file kept
    /// for the lane, else from the file. A caught-up reader passes the returned <see cref="LaneRead.ReadUpTo"/> back as
    /// the next <paramref name="afterSeq"/>.
    /// </summary>
    public async Task<LaneRead> ReadLaneAsync(int lane, long afterSeq, int max, CancellationToken cancellationToken)
    {
        // Read before the rows: every row at or below it is in the tail or visible to the file read that follows.
        var committed = Volatile.Read(ref _committed);
        var rows = new List<LogRow>();
        if (_tails[lane].TryTake(afterSeq, max, rows))
        {
            var last = rows.Count > 0 ? rows[^1].Seq : afterSeq;
            var read = new LaneRead(rows, rows.Count < max ? Math.Max(last, committed) : last, LaneReadSource.Tail);
            Volatile.Write(ref _positions[lane], read.ReadUpTo);
            return read;
        }

        return await OnReaderAsync(connection =>
        {
            var backlog = _backlogs[lane];
            var taken = backlog.TryTake(afterSeq, max, rows, out var upTo);
            upTo = taken ? upTo : afterSeq;
            var source = LaneReadSource.Backlog;
            // Fewer rows than asked tells the reader it has caught up: until then, every lane's rows from the file, enough
            // to give this one about max of its own.
            while (rows.Count < max && upTo < committed)
            {
                source = LaneReadSource.File;
                Volatile.Write(ref _positions[lane], upTo);
                ReadFile(connection, lane, upTo, checked(max * _backlogs.Length), committed);
                backlog.TryTake(upTo, max, rows, out upTo);
            }

            // Where the reader asks from next (a reader started over asks from further back, and reads the file).
            Volatile.Write(ref _positions[lane], upTo);
            return new LaneRead(rows, upTo, source);
        }, cancellationToken);
    }

    /// <summary>
    /// Every lane's rows after <paramref name="afterSeq"/> (at most <paramref name="max"/>) in log order, each decoded
    /// straight from SQLite's row buffer and kept by its lane's backlog: <paramref name="reading"/>'s, and another's when
    /// it can keep them (<see cref="LaneBacklog.KeepsAfter"/>; the others are not decoded).
    /// </summary>
    private void ReadFile(SqliteConnection connection, int reading, long afterSeq, int max, long committed)
    {
        var statement = _logRead ??= new SqliteStatement(connection, "SELECT seq, lane, envelope FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2");
        // One look at each reader's position (a reader taking from its tail moves it meanwhile): a backlog keeps what it says.
        var positions = new long[_backlogs.Length];
        // Per lane, the rows worth decoding: after what its backlog holds (long.MaxValue: none), and no more than it can keep.
        var after = new long[_backlogs.Length];
        var room = new int[_backlogs.Length];
        for (var lane = 0; lane < after.Length; lane++)
        {
            positions[lane] = Volatile.Read(ref _positions[lane]);
            // Another reader its tail serves needs none.
            var keepsAfter = lane == reading ? _backlogs[lane].KeepsAfter(afterSeq, positions[lane]) ?? afterSeq
                : _tails[lane].Holds(positions[lane]) ? null : _backlogs[lane].KeepsAfter(afterSeq, positions[lane]);
            after[lane] = keepsAfter ?? long.MaxValue;
            room[lane] = _options.BacklogRows;
        }

        var byLane = _backlogs.Select(_ => new List<LogRow>()).ToArray();
        var read = 0;
        var last = afterSeq;
        try
        {
            statement.Bind(1, afterSeq).Bind(2, max);
            while (statement.Read())
            {
                read++;
                last = statement.Int64(0);
                var lane = statement.Int64(1);
                if (lane >= 0 && lane < after.Length && last > after[lane] && room[lane] > 0)
                {
                    room[lane]--;
                    byLane[lane].Add(Decode(last, statement.Blob(2)));
                }
            }
        }
        finally
        {
            statement.Reset();
        }

        // Fewer rows than asked: the read saw every row committed before it began.
        var readTo = read < max ? Math.Max(last, committed) : last;
        for (var lane = 0; lane < after.Length; lane++)
        {
            if (after[lane] < long.MaxValue)
            {
                // A lane that ran out of room has every row of its own only up to the last one decoded.
                _backlogs[lane].Keep(afterSeq, room[lane] == 0 ? byLane[lane][^1].Seq : readTo, positions[lane], byLane[lane]);
            }
        }
    }

    private static LogRow Decode(long seq, ReadOnlySpan<byte> envelope)
    {
        try
        {
            return new LogRow(seq, EventEnvelope.FromBytes(envelope).Event, null);
        }
        catch (Exception ex)
        {
            return new LogRow(seq, null, ex);
        }
    }

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

    /// <summary>Where each lane's reader starts: after its checkpoint, or from the beginning.</summary>
    private static long[] Checkpoints(SqliteConnection connection, int lanes)
    {
        var positions = new long[lanes];
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT lane, seq FROM checkpoints";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.GetInt64(0) is var lane and >= 0 && lane < lanes)
            {
                positions[lane] = reader.GetInt64(1);
            }
        }

        return positions;
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
    /// filled from their envelopes once. The rows are not indexed by site: an index by site took a page of its own for
    /// every site in a commit (a third of the log's writes at ingest rates). An export reads its time range's rows and
    /// keeps its site's, an erasure reads the log.
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

        SqliteDatabase.Execute(connection, "DROP INDEX IF EXISTS events_by_site");
    }

    /// <summary>
    /// The site's events received in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>) and committed before the
    /// call, in log order, on a connection of their own: a long export never holds up the lanes.
    /// </summary>
    public async IAsyncEnumerable<TrackedEvent> ReadSiteAsync(string site, DateTime fromUtc, DateTime toUtc, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var connection = SqliteDatabase.Open(_path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT envelope FROM events WHERE seq BETWEEN $first AND $last AND site = $s AND received_at >= $f AND received_at < $t ORDER BY seq";
        command.Parameters.AddWithValue("$s", site);
        command.Parameters.AddWithValue("$f", fromUtc.Ticks);
        command.Parameters.AddWithValue("$t", toUtc.Ticks);
        var first = command.Parameters.Add("$first", SqliteType.Integer);
        var last = command.Parameters.Add("$last", SqliteType.Integer);
        foreach (var range in _spans.Ranges(connection, fromUtc.Ticks, toUtc.Ticks))
        {
            (first.Value, last.Value) = range;
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return EventEnvelope.FromBytes((byte[])reader[0]).Event;
            }
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

                foreach (var backlog in _backlogs)
                {
                    backlog.RemoveSite(site);
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
                    WHERE e.seq BETWEEN $first AND $last AND e.seq <= c.seq AND e.received_at < $cut ORDER BY e.seq LIMIT $n)
                """;
            command.Parameters.AddWithValue("$cut", cutoffUtc.Ticks);
            var first = command.Parameters.Add("$first", SqliteType.Integer);
            var last = command.Parameters.Add("$last", SqliteType.Integer);
            var left = command.Parameters.Add("$n", SqliteType.Integer);
            var deleted = 0;
            foreach (var range in _spans.Ranges(connection, long.MinValue, cutoffUtc.Ticks))
            {
                (first.Value, last.Value, left.Value) = (range.First, range.Last, max - deleted);
                if ((deleted += command.ExecuteNonQuery()) == max)
                {
                    break;
                }
            }

            // Forgotten as the purge goes, so that its next batch does not read them again.
            ReceiptSpans.RemoveEmpty(connection, cutoffUtc.Ticks);
            return deleted;
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
                    pending.TrySetResult();
                }

                Appended?.Invoke();
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.TrySetException(new EventSinkUnavailableException("The embedded event log could not commit.", ex));
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
            _spans.Commit();
            foreach (var pending in batch)
            {
                _tails[pending.Lane].Add(pending.Seq, pending.Envelope.Event);
            }

            Volatile.Write(ref _committed, batch[^1].Seq);
        }
    }

    private void InsertAll(List<PendingAppend> batch)
    {
        var rows = ReceiptSpan.Empty;
        foreach (var pending in batch)
        {
            var envelope = pending.Envelope;
            _envelope.ResetWrittenCount();
            BinaryEventEnvelope.Write(envelope, _envelope);
            pending.Lane = LaneOf(envelope.Event.VisitorKey);
            _insert.Bind(1, pending.Lane).Bind(2, envelope.ReceivedAt.Ticks).Bind(3, _envelope.WrittenSpan).Bind(4, envelope.Event.Site).Execute();
            pending.Seq = _insert.LastInsertRowId;
            rows = rows.With(pending.Seq, envelope.ReceivedAt.Ticks);
        }

        _spans.Stage(rows);
    }

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        await _writerLoop;
        _spans.Close();
        _transaction.Dispose();
        _insert.Dispose();
        _spans.Dispose();
        _writer.Dispose();
        _logRead?.Dispose();
        _reader.Dispose();
        _readLock.Dispose();
    }

    /// <summary>An append and its completion in one object (the appender waits on its <see cref="TaskCompletionSource.Task"/>).</summary>
    private sealed class PendingAppend(EventEnvelope envelope) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public EventEnvelope Envelope { get; } = envelope;

        /// <summary>Where the write loop put it.</summary>
        public int Lane { get; set; }

        public long Seq { get; set; }
    }
}

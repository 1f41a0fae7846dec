using System.Threading.Channels;
using Analytics.Gateway.Ingestion;
using Analytics.GrainInterfaces.Events;
using Analytics.Silo.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Analytics.Silo.EventLog;

/// <summary>
/// The embedded profile's durable event log: what Kafka is in a cluster. Appends are group-committed (many beacons,
/// one transaction) and acknowledged only once committed. Each event goes to the lane of its visitor key and is read
/// back in order by <see cref="EventLogPump"/>, which checkpoints per lane after the grains have it.
/// </summary>
public sealed class SqliteEventLog : IEventSink, IAsyncDisposable
{
    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly SemaphoreSlim _readLock = new(1, 1);
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(new() { SingleReader = true });
    private readonly EventLogOptions _options;
    private readonly Task _writerLoop;

    public SqliteEventLog(IOptions<SqliteStorageOptions> storage, IOptions<EventLogOptions> options)
    {
        _options = options.Value;
        var path = storage.Value.EventLogPath;
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
        _reader = SqliteDatabase.Open(path);
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

    public int LaneOf(string visitorKey) => (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(visitorKey)) % (uint)_options.Lanes);

    public Task<IReadOnlyList<(long Seq, EventEnvelope Envelope)>> ReadAsync(int lane, long afterSeq, int max, CancellationToken cancellationToken) =>
        OnReaderAsync<IReadOnlyList<(long, EventEnvelope)>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, envelope FROM events WHERE lane = $l AND seq > $s ORDER BY seq LIMIT $n";
            command.Parameters.AddWithValue("$l", lane);
            command.Parameters.AddWithValue("$s", afterSeq);
            command.Parameters.AddWithValue("$n", max);
            using var reader = command.ExecuteReader();
            var batch = new List<(long, EventEnvelope)>();
            while (reader.Read())
            {
                batch.Add((reader.GetInt64(0), EventEnvelope.FromUtf8Bytes((byte[])reader[1])));
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
        using var transaction = _writer.BeginTransaction();
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO events (lane, received_at, envelope) VALUES ($l, $r, $e)";
        var lane = command.Parameters.Add("$l", SqliteType.Integer);
        var received = command.Parameters.Add("$r", SqliteType.Integer);
        var envelope = command.Parameters.Add("$e", SqliteType.Blob);
        foreach (var pending in batch)
        {
            lane.Value = LaneOf(pending.Envelope.Event.VisitorKey);
            received.Value = pending.Envelope.ReceivedAt.Ticks;
            envelope.Value = pending.Envelope.ToUtf8Bytes();
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        await _writerLoop;
        _writer.Dispose();
        _reader.Dispose();
        _readLock.Dispose();
    }

    private sealed record PendingAppend(EventEnvelope Envelope)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

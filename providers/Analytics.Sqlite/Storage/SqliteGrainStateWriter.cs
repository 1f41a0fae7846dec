using System.Threading.Channels;
using CommunityToolkit.HighPerformance.Buffers;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace Analytics.Sqlite.Storage;

/// <summary>
/// The single writer of grains.db, group-committing: on its own thread it takes every write queued meanwhile (up to
/// <see cref="MaxBatch"/>) into one transaction, so thousands of visitor saves a second cost a handful of commits
/// instead of one each, and SQLite's work stays off the thread pool that serves requests and grains. Each write still
/// checks its own version: a stale one fails alone with <see cref="InconsistentStateException"/>, the rest commit.
/// A write's task completes only after its transaction committed.
/// </summary>
internal sealed class SqliteGrainStateWriter : IDisposable
{
    private const int MaxBatch = 1_000;

    private readonly SqliteConnection _connection;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly SqliteStatement _insert;
    private readonly SqliteStatement _update;
    private readonly SqliteStatement _delete;
    private readonly SqliteStatement _begin;
    private readonly SqliteStatement _commit;
    private readonly SqliteStatement _rollback;
    private readonly Thread _thread;

    public SqliteGrainStateWriter(SqliteConnection connection)
    {
        _connection = connection;
        _insert = new(connection, "INSERT INTO grain_state (state_name, grain_id, version, data) VALUES (?1, ?2, 1, ?3) ON CONFLICT DO NOTHING");
        _update = new(connection, "UPDATE grain_state SET version = ?4 + 1, data = ?3 WHERE state_name = ?1 AND grain_id = ?2 AND version = ?4");
        _delete = new(connection, "DELETE FROM grain_state WHERE state_name = ?1 AND grain_id = ?2");
        _begin = new(connection, "BEGIN IMMEDIATE");
        _commit = new(connection, "COMMIT");
        _rollback = new(connection, "ROLLBACK");
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite grain state writer" };
        _thread.Start();
    }

    /// <summary>
    /// Stores <paramref name="data"/> (disposed once written) as version <paramref name="expectedVersion"/> + 1, or as
    /// version 1 of a new row when <paramref name="expectedVersion"/> is null; returns the version stored.
    /// </summary>
    public Task<long> WriteAsync(string stateName, string grainId, long? expectedVersion, ArrayPoolBufferWriter<byte> data) =>
        Enqueue(new Pending(PendingKind.Write, stateName, grainId, expectedVersion, data, null));

    public Task ClearAsync(string stateName, string grainId) =>
        Enqueue(new Pending(PendingKind.Clear, stateName, grainId, null, null, null));

    /// <summary>Runs <paramref name="work"/> on the writer's connection between two batches, in no batch's transaction.</summary>
    public Task RunAloneAsync(Action<SqliteConnection> work) =>
        Enqueue(new Pending(PendingKind.Alone, "", "", null, null, work));

    private Task<long> Enqueue(Pending pending)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Data?.Dispose();
            throw new ObjectDisposedException(nameof(SqliteGrainStateWriter));
        }

        return pending.Done.Task;
    }

    private void Run()
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                if (pending.Kind != PendingKind.Alone)
                {
                    batch.Add(pending);
                    continue;
                }

                CommitBatch(batch);
                try
                {
                    pending.Work!(_connection);
                    pending.Done.TrySetResult(0);
                }
                catch (Exception ex)
                {
                    pending.Done.TrySetException(ex);
                }
            }

            CommitBatch(batch);
        }
    }

    private void CommitBatch(List<Pending> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            _begin.Execute();
            foreach (var pending in batch)
            {
                try
                {
                    pending.Version = Apply(pending);
                }
                catch (Exception ex)
                {
                    pending.Error = ex;
                }
            }

            _commit.Execute();
            foreach (var pending in batch)
            {
                if (pending.Error is { } error)
                {
                    pending.Done.TrySetException(error);
                }
                else
                {
                    pending.Done.TrySetResult(pending.Version);
                }
            }
        }
        catch (Exception ex)
        {
            // The transaction did not commit: nothing of the batch is stored, every caller learns so.
            try
            {
                _rollback.Execute();
            }
            catch (SqliteException)
            {
                // No transaction was open (BEGIN itself failed) or SQLite already rolled it back.
            }

            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex);
            }
        }
        finally
        {
            foreach (var pending in batch)
            {
                pending.Data?.Dispose();
            }

            batch.Clear();
        }
    }

    private long Apply(Pending pending)
    {
        if (pending.Kind == PendingKind.Clear)
        {
            _delete.Bind(1, pending.StateName).Bind(2, pending.GrainId).Execute();
            return 0;
        }

        var statement = pending.ExpectedVersion is { } expected ? _update.Bind(4, expected) : _insert;
        if (statement.Bind(1, pending.StateName).Bind(2, pending.GrainId).Bind(3, pending.Data!.WrittenSpan).Execute() != 1)
        {
            var expectedText = pending.ExpectedVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new InconsistentStateException(
                $"State '{pending.StateName}' of {pending.GrainId} changed underneath this activation (expected version {expectedText ?? "none"}).",
                storedEtag: null, currentEtag: expectedText);
        }

        return (pending.ExpectedVersion ?? 0) + 1;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join();
        foreach (var statement in new[] { _insert, _update, _delete, _begin, _commit, _rollback })
        {
            statement.Dispose();
        }
    }

    private enum PendingKind
    {
        Write,
        Clear,
        Alone,
    }

    private sealed class Pending(PendingKind kind, string stateName, string grainId, long? expectedVersion, ArrayPoolBufferWriter<byte>? data, Action<SqliteConnection>? work)
    {
        public PendingKind Kind { get; } = kind;
        public string StateName { get; } = stateName;
        public string GrainId { get; } = grainId;
        public long? ExpectedVersion { get; } = expectedVersion;
        public ArrayPoolBufferWriter<byte>? Data { get; } = data;
        public Action<SqliteConnection>? Work { get; } = work;
        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long Version { get; set; }
        public Exception? Error { get; set; }
    }
}

using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Analytics.Sqlite.Storage;

/// <summary>
/// The one writer of a store's SQLite file: writes queue, and whatever queued meanwhile commits in one transaction. When
/// a write fails, that transaction is rolled back and each of its writes applied again in a transaction of its own, so the
/// one that fails fails alone while the others commit. (Savepoints would do it in one pass, but SQLite copies every page a
/// savepoint changes into a statement journal, a temporary file past 64 KiB: under ingestion a quarter of the segment
/// store's writes.) A write's task completes once its transaction committed. After a transaction with a write that erases
/// data, the write-ahead log is emptied under the readers' lock, so the erased bytes live on in neither file.
/// </summary>
internal sealed class SqliteWriteQueue<TWrite> : IAsyncDisposable
    where TWrite : class
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _readLock;
    private readonly int _maxBatch;
    private readonly Action<TWrite> _apply;
    private readonly Func<TWrite, bool> _erases;
    private readonly Channel<(TWrite Write, TaskCompletionSource Done)> _writes =
        Channel.CreateUnbounded<(TWrite, TaskCompletionSource)>(new() { SingleReader = true });
    private readonly SqliteTransactionStatements _transaction;
    private readonly Task _loop;

    /// <param name="connection">The store's writing connection, used by <paramref name="apply"/> and by nothing else meanwhile.</param>
    /// <param name="readLock">Held by the store's reads; taken before the log is emptied.</param>
    /// <param name="maxBatch">Writes committed in one transaction at most.</param>
    /// <param name="apply">Applies one write; a <see cref="SqliteException"/> fails it alone. It may run again after a rollback.</param>
    /// <param name="erases">Whether a write erases data (then the log is emptied after its commit).</param>
    public SqliteWriteQueue(SqliteConnection connection, SemaphoreSlim readLock, int maxBatch, Action<TWrite> apply, Func<TWrite, bool> erases)
    {
        _connection = connection;
        _readLock = readLock;
        _maxBatch = maxBatch;
        _apply = apply;
        _erases = erases;
        _transaction = new(connection, "BEGIN IMMEDIATE");
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Completes once the write committed; a caller that stops waiting (cancellation) does not stop the commit.</summary>
    public Task EnqueueAsync(TWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes.Writer.TryWrite((write, done)))
        {
            throw new ObjectDisposedException(typeof(TWrite).Name);
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Queued writes still commit (their callers are waiting for them), then the queue's statements are released.</summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _loop;
        _transaction.Dispose();
    }

    private async Task LoopAsync()
    {
        var batch = new List<(TWrite Write, TaskCompletionSource Done)>(_maxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _writes.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                var failed = Commit(batch);
                if (batch.Exists(w => _erases(w.Write) && !failed.ContainsKey(w.Done)))
                {
                    // No read may hold a snapshot while the log is truncated, or erased pages would outlive it there.
                    await _readLock.WaitAsync();
                    try
                    {
                        SqliteDatabase.Checkpoint(_connection);
                    }
                    finally
                    {
                        _readLock.Release();
                    }
                }

                foreach (var (_, done) in batch)
                {
                    if (failed.TryGetValue(done, out var error))
                    {
                        done.TrySetException(error);
                    }
                    else
                    {
                        done.TrySetResult();
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

    /// <summary>Applies the writes in one transaction; after a failure, each in one of its own. Returns those that failed; throws when a lone write fails.</summary>
    private Dictionary<TaskCompletionSource, Exception> Commit(List<(TWrite Write, TaskCompletionSource Done)> batch)
    {
        var failed = new Dictionary<TaskCompletionSource, Exception>();
        try
        {
            InTransaction(batch);
        }
        catch (SqliteException) when (batch.Count > 1)
        {
            foreach (var write in batch)
            {
                try
                {
                    InTransaction([write]);
                }
                catch (SqliteException ex)
                {
                    failed[write.Done] = ex;
                }
            }
        }

        return failed;
    }

    private void InTransaction(List<(TWrite Write, TaskCompletionSource Done)> writes) =>
        _transaction.Run((writes, _apply), static state =>
        {
            foreach (var (write, _) in state.writes)
            {
                state._apply(write);
            }
        });
}

using Microsoft.Data.Sqlite;

namespace Analytics.Sqlite.Storage;

/// <summary>
/// What the SQLite stores of the grains (segments, lane checkpoints) share: one file, its schema created on open, a
/// writer connection for the store's group-committing write queue and a reader connection beside it (WAL lets reads run
/// beside the writer) whose reads run one at a time inside a read transaction, so they see one commit. The store
/// closes after the grains have stopped writing (they deactivate at a later stage of the silo's stop); queued writes
/// still commit first, as their callers are waiting for them.
/// </summary>
public abstract class SqliteStore : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly List<SqliteStatement> _statements = [];
    private readonly SqliteStatement _beginRead;
    private readonly SqliteStatement _endRead;
    private int _disposed;

    /// <summary>
    /// The page size of a store's new file. Its rows are blobs of tens of KiB to MBs (segment batches and payloads, lane
    /// checkpoint parts): with 4 KiB pages every page was a system call to write to the log, another for its frame header,
    /// and more to read back and copy into the file, ~1.7 µs each on this machine (bench/README.md, session 47). 64 KiB
    /// made fewer calls still, but a small commit writes whole pages: at 5,000 events/s the silo wrote 62 MiB/s against
    /// 29 with 4 KiB pages; 16 KiB wrote 37.
    /// </summary>
    public const int PageSize = 16384;

    /// <param name="schema">The store's CREATE statements, run on the writer before anything else.</param>
    private protected SqliteStore(string path, string schema, int cacheKiB)
    {
        Writer = SqliteDatabase.Open(path, PageSize);
        SqliteDatabase.Execute(Writer, $"""
            {schema}
            PRAGMA cache_size = -{cacheKiB};
            """);
        Reader = SqliteDatabase.Open(path, PageSize);
        SqliteDatabase.Execute(Reader, $"PRAGMA cache_size = -{cacheKiB}");
        _beginRead = Prepare(Reader, "BEGIN");
        _endRead = Prepare(Reader, "COMMIT");
    }

    private protected SqliteConnection Writer { get; }

    private protected SqliteConnection Reader { get; }

    /// <summary>Held by every read, and by the write queue while it empties the write-ahead log after an erasure.</summary>
    private protected SemaphoreSlim ReadLock { get; } = new(1, 1);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.ApplicationServices, _ => Task.CompletedTask, _ => DisposeAsync().AsTask());

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await CloseWritesAsync();
        foreach (var statement in _statements)
        {
            statement.Dispose();
        }

        Reader.Dispose();
        Writer.Dispose();
        ReadLock.Dispose();
    }

    /// <summary>A statement on one of the store's connections, disposed with the store.</summary>
    private protected SqliteStatement Prepare(SqliteConnection connection, string sql)
    {
        var statement = new SqliteStatement(connection, sql);
        _statements.Add(statement);
        return statement;
    }

    /// <summary>Runs <paramref name="read"/> on the reader alone (no other read at the same time).</summary>
    private protected async Task<T> ReadAsync<T>(Func<T> read, CancellationToken cancellationToken)
    {
        await ReadLock.WaitAsync(cancellationToken);
        try
        {
            return read();
        }
        finally
        {
            ReadLock.Release();
        }
    }

    /// <summary>Runs <paramref name="read"/> on the reader alone and inside one read transaction.</summary>
    private protected Task<T> ReadInTransactionAsync<T>(Func<T> read, CancellationToken cancellationToken) =>
        ReadAsync(() =>
        {
            _beginRead.Execute();
            try
            {
                return read();
            }
            finally
            {
                _endRead.Execute();
            }
        }, cancellationToken);

    /// <summary>Disposes the store's write queue, which commits what is still queued.</summary>
    private protected abstract ValueTask CloseWritesAsync();
}

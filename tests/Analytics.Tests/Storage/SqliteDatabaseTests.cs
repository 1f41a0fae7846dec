using Analytics.Sqlite.Segments;
using Analytics.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Analytics.Tests.Storage;

/// <summary>
/// A file's page size is chosen when it is created and kept after: the stores of large blobs (segments, lane checkpoints)
/// create theirs with <see cref="SqliteStore.PageSize"/> pages, a file made earlier keeps its 4 KiB ones (its log still
/// holding frames or not), and either moves its write-ahead log into the file after the same number of bytes.
/// </summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-sqlite-").FullName;

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public void A_new_file_takes_the_page_size_asked_and_checkpoints_after_64_MiB_of_log()
    {
        using var connection = SqliteDatabase.Open(Path.Combine(_directory, "new.db"), 65536);
        SqliteDatabase.Execute(connection, "CREATE TABLE t (x BLOB)");
        using var mode = new SqliteCommand("PRAGMA journal_mode", connection);

        Assert.Equal(65536, Scalar(connection, "PRAGMA page_size"));
        Assert.Equal("wal", (string)mode.ExecuteScalar()!);
        Assert.Equal(SqliteDatabase.CheckpointBytes / 65536, Scalar(connection, "PRAGMA wal_autocheckpoint"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_made_with_4_KiB_pages_keeps_them_and_its_rows(bool logStillOpen)
    {
        var path = Path.Combine(_directory, "old.db");
        var old = SqliteDatabase.Open(path);
        SqliteDatabase.Execute(old, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);");
        if (!logStillOpen)
        {
            old.Dispose();
        }

        using var reopened = SqliteDatabase.Open(path, 65536);
        old.Dispose();

        Assert.Equal(4096, Scalar(reopened, "PRAGMA page_size"));
        Assert.Equal(SqliteDatabase.CheckpointBytes / 4096, Scalar(reopened, "PRAGMA wal_autocheckpoint"));
        Assert.Equal(7, Scalar(reopened, "SELECT x FROM t"));
    }

    [Fact]
    public async Task The_segment_store_creates_its_file_with_the_stores_page_size()
    {
        var path = Path.Combine(_directory, "segments.db");
        await using (var store = new SqliteSegmentStore(path, new SqliteSegmentStoreOptions()))
        {
            await store.AppendAsync("s.test|2026-03-10", 1, new byte[200_000], CancellationToken.None);
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        Assert.Equal(SqliteStore.PageSize, Scalar(connection, "PRAGMA page_size"));
        Assert.Equal(1, Scalar(connection, "SELECT COUNT(*) FROM segment_batches"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

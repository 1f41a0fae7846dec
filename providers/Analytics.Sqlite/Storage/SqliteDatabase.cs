using Microsoft.Data.Sqlite;

namespace Analytics.Sqlite.Storage;

/// <summary>Opens connections to one SQLite file set up for a durable single-writer workload.</summary>
public static class SqliteDatabase
{
    /// <summary>Bytes of write-ahead log after which a commit moves the log into the database file.</summary>
    public const long CheckpointBytes = 64L << 20;

    /// <param name="pageSize">The page size of a file this creates (an existing file keeps its own).</param>
    public static SqliteConnection Open(string path, int pageSize = 4096)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        // Before the first write (here, switching the file to WAL), the only time a page size can still be chosen.
        Execute(connection, $"PRAGMA page_size={pageSize}");
        long pageBytes;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA page_size";
            pageBytes = (long)command.ExecuteScalar()!;
        }

        // WAL keeps readers off the writer's back; synchronous=NORMAL in WAL survives a process crash (not a power cut).
        // secure_delete zeroes what a delete frees, so an erased site or an expired event is not left in free pages.
        // A checkpoint every 64 MiB of log, not SQLite's 4 MiB: at ingest's ~100 MiB/s of log that was 25 checkpoints a
        // second, each two fsyncs and another copy of the same hot index pages (the fsyncs: 2.4 % of the silo's CPU
        // samples before, 1-1.6 % after).
        Execute(connection, $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON; PRAGMA wal_autocheckpoint={CheckpointBytes / pageBytes};");
        return connection;
    }

    /// <summary>Moves the write-ahead log into the database file and truncates it to zero bytes.</summary>
    public static int Checkpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using var reader = command.ExecuteReader();
        // Columns: busy (1 when a reader kept it from completing), log frames, checkpointed frames.
        return reader.Read() ? reader.GetInt32(0) : 0;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

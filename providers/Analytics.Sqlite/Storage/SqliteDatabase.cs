using Microsoft.Data.Sqlite;

namespace Analytics.Sqlite.Storage;

/// <summary>Opens connections to one SQLite file set up for a durable single-writer workload.</summary>
public static class SqliteDatabase
{
    public static SqliteConnection Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        // WAL keeps readers off the writer's back; synchronous=NORMAL in WAL survives a process crash (not a power cut).
        // secure_delete zeroes what a delete frees, so an erased site or an expired event is not left in free pages.
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;");
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

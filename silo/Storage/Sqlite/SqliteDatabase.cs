using Microsoft.Data.Sqlite;

namespace Analytics.Silo.Storage.Sqlite;

/// <summary>Opens connections to one SQLite file set up for a durable single-writer workload.</summary>
public static class SqliteDatabase
{
    public static SqliteConnection Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        // WAL keeps readers off the writer's back; synchronous=NORMAL in WAL survives a process crash (not a power cut).
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

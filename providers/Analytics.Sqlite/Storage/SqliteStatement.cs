using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Analytics.Sqlite.Storage;

/// <summary>
/// One statement prepared once on a connection and reused, bound through SQLitePCL's raw API: blobs bind from a span
/// (a pooled serialization buffer, no copy) and are read back as a span, which <c>SqliteCommand</c> cannot do. Not
/// thread-safe: the owner serializes its use.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
    }

    public SqliteStatement Bind(int index, string value)
    {
        Check(raw.sqlite3_bind_text(_stmt, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_stmt, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, ReadOnlySpan<byte> value)
    {
        Check(raw.sqlite3_bind_blob(_stmt, index, value));
        return this;
    }

    /// <summary>Runs a statement that returns no rows; returns the rows it changed. Leaves it reset for the next use.</summary>
    public int Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_stmt);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>
    /// Steps to the next row; false (and reset) after the last. Call <see cref="Reset"/> when done before the last row.
    /// </summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        Reset();
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }

        return false;
    }

    /// <summary>The rowid of the connection's last successful INSERT (an INTEGER PRIMARY KEY's value).</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    public long Int64(int column) => raw.sqlite3_column_int64(_stmt, column);

    public string Text(int column) => raw.sqlite3_column_text(_stmt, column).utf8_to_string();

    /// <summary>Valid until the next step or reset of this statement.</summary>
    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(_stmt, column);

    /// <summary>
    /// The whole value of a blob column of one row, read by SQLite straight into a new array: a column read through a
    /// statement is copied once into SQLite's own fresh buffer and then again into the array (after a restart the first
    /// question over a month read ~95 MB of sealed segments that way, a quarter of its page faults in that buffer).
    /// </summary>
    public static byte[] ReadBlob(SqliteConnection connection, string table, string column, long rowid)
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_blob_open(db, "main", table, column, rowid, 0, out var blob));
        using (blob)
        {
            // Uninitialized: SQLite writes every byte, and zeroing a large array first would touch its pages twice.
            var bytes = GC.AllocateUninitializedArray<byte>(raw.sqlite3_blob_bytes(blob));
            Check(db, raw.sqlite3_blob_read(blob, bytes, 0));
            return bytes;
        }
    }

    public void Reset()
    {
        raw.sqlite3_reset(_stmt);
        raw.sqlite3_clear_bindings(_stmt);
    }

    public void Dispose() => _stmt.Dispose();

    private void Check(int rc) => Check(_db, rc);

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
        }
    }
}

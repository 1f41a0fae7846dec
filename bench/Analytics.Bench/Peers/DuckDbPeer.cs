using System.Diagnostics;
using Analytics.Bench.Infra;
using Analytics.Bench.Scenarios;
using DuckDB.NET.Data;

namespace Analytics.Bench.Peers;

/// <summary>
/// DuckDB 1.5 (NuGet <c>DuckDB.NET.Data.Full</c>, in this process) with a database file in the bench's work folder: both
/// tables through the appender, checkpointed; no indexes (it scans its compressed columns, as its authors advise).
/// </summary>
public sealed class DuckDbPeer(string file) : IEnginePeer
{
    private readonly DuckDBConnection _connection = Open(file);

    public string Name => "DuckDB";

    public Task LoadAsync(SegmentRows rows)
    {
        Exec("""
            CREATE TABLE events (site VARCHAR, ts TIMESTAMP, name VARCHAR, page VARCHAR, visitor UBIGINT, session UBIGINT,
                prop_key VARCHAR, prop_value VARCHAR, source VARCHAR, entry_page VARCHAR);
            CREATE TABLE sessions (site VARCHAR, session_id UBIGINT, visitor UBIGINT, start TIMESTAMP, duration_us BIGINT,
                bounce BOOLEAN, pageviews INTEGER, source VARCHAR, entry_page VARCHAR);
            """);
        using (var appender = _connection.CreateAppender("events"))
        {
            foreach (var r in rows.Events)
            {
                var e = r.Event;
                appender.CreateRow().AppendValue(r.Site).AppendValue(e.Timestamp).AppendValue(e.Name).AppendValue(e.Pathname)
                    .AppendValue(e.Visitor).AppendValue(e.Session).AppendValue(r.Prop?.Key).AppendValue(r.Prop?.Value)
                    .AppendValue(r.Session?.Source).AppendValue(r.Session?.EntryPage).EndRow();
            }
        }

        using (var appender = _connection.CreateAppender("sessions"))
        {
            foreach (var (site, s) in rows.Sessions)
            {
                appender.CreateRow().AppendValue(site).AppendValue(s.SessionId).AppendValue(s.Visitor).AppendValue(s.Start)
                    .AppendValue((s.End - s.Start).Ticks / 10).AppendValue(s.Bounce).AppendValue(s.Pageviews)
                    .AppendValue(s.Source).AppendValue(s.EntryPage).EndRow();
            }
        }

        Exec("CHECKPOINT");
        return Task.CompletedTask;
    }

    public Task<(double Ms, string FirstRow)> RunAsync(EngineQuery query)
    {
        var sw = Stopwatch.StartNew();
        using var command = _connection.CreateCommand();
        command.CommandText = query.DuckDbSql;
        using var reader = command.ExecuteReader();
        string? first = null;
        while (reader.Read())
        {
            if (first is null)
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                first = PeerRowText.Of(values);
            }
        }

        return Task.FromResult((sw.Elapsed.TotalMilliseconds, first ?? "(no rows)"));
    }

    public Task<long> StoredBytesAsync() => Task.FromResult(new FileInfo(file).Length);

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        File.Delete(file);
        File.Delete(file + ".wal");
        return ValueTask.CompletedTask;
    }

    private static DuckDBConnection Open(string file)
    {
        var connection = new DuckDBConnection($"DataSource={file}");
        connection.Open();
        return connection;
    }

    private void Exec(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

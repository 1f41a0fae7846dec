using System.Diagnostics;
using Analytics.Bench.Infra;
using Analytics.Bench.Scenarios;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Bench.Peers;

/// <summary>
/// PostgreSQL (scripts/services.sh, port 55432) in its own schema <c>engine_bench</c>: both tables by binary COPY, an
/// index on (site, time) each, as a row store would be set up for these questions.
/// </summary>
public sealed class PostgresPeer : IEnginePeer
{
    private const string Schema = "engine_bench";
    private readonly NpgsqlConnection _connection;

    private PostgresPeer(NpgsqlConnection connection) => _connection = connection;

    public string Name => "PostgreSQL";

    public static async Task<PostgresPeer?> TryOpenAsync()
    {
        var connection = new NpgsqlConnection(PeersScenario.PostgresConnection + $";Search Path={Schema}");
        try
        {
            await connection.OpenAsync();
            return new PostgresPeer(connection);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            Console.WriteLine($"engine: PostgreSQL not reachable ({ex.Message}); skipped");
            await connection.DisposeAsync();
            return null;
        }
    }

    public async Task LoadAsync(SegmentRows rows)
    {
        await ExecAsync($"""
            CREATE SCHEMA IF NOT EXISTS {Schema};
            DROP TABLE IF EXISTS {Schema}.events; DROP TABLE IF EXISTS {Schema}.sessions;
            CREATE TABLE {Schema}.events (site text NOT NULL, ts timestamp NOT NULL, name text NOT NULL, page text NOT NULL,
                visitor bigint NOT NULL, session bigint NOT NULL, prop_key text, prop_value text, source text, entry_page text);
            CREATE TABLE {Schema}.sessions (site text NOT NULL, session_id bigint NOT NULL, visitor bigint NOT NULL, start timestamp NOT NULL,
                duration_us bigint NOT NULL, bounce boolean NOT NULL, pageviews int NOT NULL, source text NOT NULL, entry_page text NOT NULL);
            """);
        await using (var copy = await _connection.BeginBinaryImportAsync($"COPY {Schema}.events FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows.Events)
            {
                var e = r.Event;
                await copy.StartRowAsync();
                await copy.WriteAsync(r.Site, NpgsqlDbType.Text);
                await copy.WriteAsync(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp);
                await copy.WriteAsync(e.Name, NpgsqlDbType.Text);
                await copy.WriteAsync(e.Pathname, NpgsqlDbType.Text);
                await copy.WriteAsync(unchecked((long)e.Visitor), NpgsqlDbType.Bigint);
                await copy.WriteAsync(unchecked((long)e.Session), NpgsqlDbType.Bigint);
                await WriteNullableAsync(copy, r.Prop?.Key);
                await WriteNullableAsync(copy, r.Prop?.Value);
                await WriteNullableAsync(copy, r.Session?.Source);
                await WriteNullableAsync(copy, r.Session?.EntryPage);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await _connection.BeginBinaryImportAsync($"COPY {Schema}.sessions FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (site, s) in rows.Sessions)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(site, NpgsqlDbType.Text);
                await copy.WriteAsync(unchecked((long)s.SessionId), NpgsqlDbType.Bigint);
                await copy.WriteAsync(unchecked((long)s.Visitor), NpgsqlDbType.Bigint);
                await copy.WriteAsync(DateTime.SpecifyKind(s.Start, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp);
                await copy.WriteAsync((s.End - s.Start).Ticks / 10, NpgsqlDbType.Bigint);
                await copy.WriteAsync(s.Bounce, NpgsqlDbType.Boolean);
                await copy.WriteAsync(s.Pageviews, NpgsqlDbType.Integer);
                await copy.WriteAsync(s.Source, NpgsqlDbType.Text);
                await copy.WriteAsync(s.EntryPage, NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        await ExecAsync($"""
            CREATE INDEX ON {Schema}.events (site, ts);
            CREATE INDEX ON {Schema}.sessions (site, start);
            """);
        await ExecAsync($"VACUUM ANALYZE {Schema}.events");
        await ExecAsync($"VACUUM ANALYZE {Schema}.sessions");

        static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value) =>
            value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, NpgsqlDbType.Text);
    }

    public async Task<(double Ms, string FirstRow)> RunAsync(EngineQuery query)
    {
        var sw = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand(query.PostgresSql, _connection);
        await using var reader = await command.ExecuteReaderAsync();
        string? first = null;
        while (await reader.ReadAsync())
        {
            if (first is null)
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                first = PeerRowText.Of(values);
            }
        }

        return (sw.Elapsed.TotalMilliseconds, first ?? "(no rows)");
    }

    public async Task<long> StoredBytesAsync()
    {
        await using var command = new NpgsqlCommand($"SELECT pg_total_relation_size('{Schema}.events') + pg_total_relation_size('{Schema}.sessions')", _connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await ExecAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        await _connection.DisposeAsync();
    }

    private async Task ExecAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 1800 };
        await command.ExecuteNonQueryAsync();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Analytics.Bench.Infra;
using Analytics.Bench.Scenarios;

namespace Analytics.Bench.Peers;

/// <summary>
/// ClickHouse 18.16 (scripts/services.sh, HTTP port 58123) in its own database <c>engine_bench</c>: MergeTree tables
/// ordered like Plausible's (site, day, ...), TSV inserts over HTTP, merged with OPTIMIZE FINAL before the questions.
/// </summary>
public sealed class ClickHousePeer : IEnginePeer
{
    private const string Database = "engine_bench";
    private readonly HttpClient _http;

    private ClickHousePeer(HttpClient http) => _http = http;

    public string Name => "ClickHouse";

    public static async Task<ClickHousePeer?> TryOpenAsync()
    {
        var http = new HttpClient { BaseAddress = PeersScenario.ClickHouseUri, Timeout = TimeSpan.FromMinutes(30) };
        var peer = new ClickHousePeer(http);
        try
        {
            await peer.ExecAsync("SELECT 1");
            return peer;
        }
        catch (HttpRequestException ex)
        {
            Console.WriteLine($"engine: ClickHouse not reachable ({ex.Message}); skipped");
            http.Dispose();
            return null;
        }
    }

    public async Task LoadAsync(SegmentRows rows)
    {
        await ExecAsync($"CREATE DATABASE IF NOT EXISTS {Database}");
        await ExecAsync($"DROP TABLE IF EXISTS {Database}.events");
        await ExecAsync($"DROP TABLE IF EXISTS {Database}.sessions");
        await ExecAsync($"""
            CREATE TABLE {Database}.events (site String, ts DateTime, name String, page String, visitor UInt64, session UInt64,
                prop_key String, prop_value String, source String, entry_page String)
            ENGINE = MergeTree() PARTITION BY toYYYYMM(ts) ORDER BY (site, toDate(ts), name, visitor) SETTINGS index_granularity = 8192
            """);
        await ExecAsync($"""
            CREATE TABLE {Database}.sessions (site String, session_id UInt64, visitor UInt64, start DateTime, duration_us Int64,
                bounce UInt8, pageviews Int32, source String, entry_page String)
            ENGINE = MergeTree() PARTITION BY toYYYYMM(start) ORDER BY (site, toDate(start), session_id) SETTINGS index_granularity = 8192
            """);
        await InsertAsync("events", rows.Events, (sb, r) =>
        {
            var e = r.Event;
            sb.Append(Tsv(r.Site)).Append('\t').Append(Time(e.Timestamp)).Append('\t').Append(Tsv(e.Name)).Append('\t').Append(Tsv(e.Pathname)).Append('\t')
                .Append(e.Visitor.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(e.Session.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(Tsv(r.Prop?.Key)).Append('\t').Append(Tsv(r.Prop?.Value)).Append('\t')
                .Append(Tsv(r.Session?.Source)).Append('\t').Append(Tsv(r.Session?.EntryPage)).Append('\n');
        });
        await InsertAsync("sessions", rows.Sessions, (sb, r) =>
        {
            var s = r.Session;
            sb.Append(Tsv(r.Site)).Append('\t').Append(s.SessionId.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(s.Visitor.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(Time(s.Start)).Append('\t')
                .Append(((s.End - s.Start).Ticks / 10).ToString(CultureInfo.InvariantCulture)).Append('\t').Append(s.Bounce ? '1' : '0').Append('\t')
                .Append(s.Pageviews.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(Tsv(s.Source)).Append('\t').Append(Tsv(s.EntryPage)).Append('\n');
        });
        await ExecAsync($"OPTIMIZE TABLE {Database}.events FINAL");
        await ExecAsync($"OPTIMIZE TABLE {Database}.sessions FINAL");

        static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        static string Tsv(string? s) => s is null ? string.Empty : s.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n");
    }

    public Task<(double Ms, string FirstRow)> RunAsync(EngineQuery query) => RunSqlAsync(query.ClickHouseSql);

    /// <summary>Runs a SELECT over the loaded tables: elapsed ms at the client and the first row, comma-separated.</summary>
    public async Task<(double Ms, string FirstRow)> RunSqlAsync(string sql)
    {
        var sw = Stopwatch.StartNew();
        var text = await ExecAsync(sql + " FORMAT TabSeparated", Database);
        var ms = sw.Elapsed.TotalMilliseconds;
        var first = text.Split('\n', 2)[0];
        return (ms, first.Length == 0 ? "(no rows)" : first.Replace('\t', ',').Replace(",", ", ", StringComparison.Ordinal));
    }

    public async Task<long> StoredBytesAsync() =>
        long.Parse((await ExecAsync($"SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = '{Database}'")).Trim(), CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await ExecAsync($"DROP DATABASE IF EXISTS {Database}");
        _http.Dispose();
    }

    private async Task InsertAsync<T>(string table, List<T> rows, Action<StringBuilder, T> write)
    {
        const int chunk = 200_000;
        for (var i = 0; i < rows.Count; i += chunk)
        {
            var sb = new StringBuilder(chunk * 120);
            for (var j = i; j < Math.Min(rows.Count, i + chunk); j++)
            {
                write(sb, rows[j]);
            }

            using var content = new StringContent(sb.ToString(), Encoding.UTF8, "text/tab-separated-values");
            using var response = await _http.PostAsync("?query=" + Uri.EscapeDataString($"INSERT INTO {Database}.{table} FORMAT TabSeparated"), content);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"ClickHouse insert into {table} failed: " + await response.Content.ReadAsStringAsync());
            }
        }
    }

    private async Task<string> ExecAsync(string sql, string? database = null)
    {
        using var content = new StringContent(sql, Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync(database is null ? string.Empty : "?database=" + database, content);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"ClickHouse: {text}\n{sql}");
    }
}

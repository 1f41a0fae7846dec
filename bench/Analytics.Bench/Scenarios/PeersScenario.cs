using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Analytics.Bench.Infra;
using Analytics.GrainInterfaces.Events;
using Analytics.Testing;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// 4. Peers on the same data: the identical enriched events loaded into PostgreSQL (one raw-events table with Umami's
/// kind of indexes) and ClickHouse (a MergeTree events table keyed like Plausible's), each dashboard query run as the
/// equivalent SQL. Sessions for the peers follow the same 30-minute rule as our lanes.
/// </summary>
public static class PeersScenario
{
    public static string PostgresConnection => $"Host=127.0.0.1;Port={Environment.GetEnvironmentVariable("ANALYTICS_POSTGRES_PORT") ?? "55432"};Username=bench;Database=postgres;Pooling=true;Command Timeout=300";

    public static Uri ClickHouseUri => new($"http://127.0.0.1:{Environment.GetEnvironmentVariable("ANALYTICS_CLICKHOUSE_HTTP_PORT") ?? "58123"}/");

    public static async Task<Report> RunAsync(BenchContext context)
    {
        await EnsureServicesAsync();
        var s = context.Settings;
        var history = await context.HistoryAsync();
        var rows = PeerRows(history.Events);

        var sw = Stopwatch.StartNew();
        await LoadPostgresAsync(rows);
        var pgLoad = sw.Elapsed;
        sw.Restart();
        using var ch = new HttpClient { BaseAddress = ClickHouseUri, Timeout = TimeSpan.FromMinutes(5) };
        await LoadClickHouseAsync(ch, rows);
        var chLoad = sw.Elapsed;
        Console.WriteLine($"peers: loaded {rows.Count:N0} rows into PostgreSQL in {pgLoad.TotalSeconds:F1}s, ClickHouse in {chLoad.TotalSeconds:F1}s");

        var queries = DashboardQuery.For(history.BiggestSite, history.First, history.Last);
        using var ours = new HttpClient { BaseAddress = history.Silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }.Authorize();
        await using var pg = new NpgsqlConnection(PostgresConnection);
        await pg.OpenAsync();

        var report = new Report("peers", "Same data, same dashboard queries: ours vs PostgreSQL vs ClickHouse");
        var table = report.Table("query", "ours computed p50 ms", "PostgreSQL 1st ms", "PostgreSQL warm p50 ms", "ClickHouse 1st ms", "ClickHouse warm p50 ms", "PostgreSQL / ours", "ClickHouse / ours");
        var check = new List<string>();
        var plotOurs = new List<double>();
        var plotPg = new List<double>();
        var plotCh = new List<double>();
        foreach (var q in queries)
        {
            var (_, ourRow) = await q.RunOursAsync(ours);
            var (pgFirst, pgRow) = await RunPostgresAsync(pg, q.PostgresSql);
            var (chFirst, chRow) = await RunClickHouseAsync(ch, q.ClickHouseSql);
            var ourMs = new List<double>();
            var pgMs = new List<double>();
            var chMs = new List<double>();
            var reps = Math.Max(3, s.WarmRepetitions / 3);
            for (var r = 0; r < reps; r++)
            {
                // A question our result cache has not seen (the queries scenario used variants 1..30): the peers cache no results either.
                ourMs.Add((await q.RunOursAsync(ours, variant: 1_000 + r)).Ms);
                pgMs.Add((await RunPostgresAsync(pg, q.PostgresSql)).Ms);
                chMs.Add((await RunClickHouseAsync(ch, q.ClickHouseSql)).Ms);
            }

            var o = Percentiles.Of(ourMs, 50);
            var p = Percentiles.Of(pgMs, 50);
            var c = Percentiles.Of(chMs, 50);
            table.Add([q.Name, Report.F(o, 2), Report.F(pgFirst, 1), Report.F(p, 2), Report.F(chFirst, 1), Report.F(c, 2), Report.F(p / o, 1) + "×", Report.F(c / o, 1) + "×"]);
            check.Add($"- {q.Name}: ours `{ourRow}` · PostgreSQL `{pgRow}` · ClickHouse `{chRow}`");
            plotOurs.Add(o);
            plotPg.Add(p);
            plotCh.Add(c);
        }

        report.Note($"Data: {rows.Count:N0} events (bots dropped by our pipeline before any store), {history.Sites.Count} sites, {s.HistoryDays} days; queried site `{history.BiggestSite}` ({history.Events.Count(e => e.Site == history.BiggestSite):N0} events). Load: PostgreSQL binary COPY {pgLoad.TotalSeconds:N1} s + indexes, ClickHouse HTTP TSV insert {chLoad.TotalSeconds:N1} s; ours {history.Drain.TotalSeconds:N1} s through the grains.");
        report.Note("\"X / ours\" > 1 means we are faster. Ours is computed from the buckets each time (a question the result cache has not seen), timed at the HTTP client of POST /api/v2/query; PostgreSQL over Npgsql (binary protocol); ClickHouse over its HTTP interface. \"1st\" is the first execution after loading (page cache not dropped).");
        report.Note("PostgreSQL counts distinct visitors exactly; ClickHouse uniq() and our HyperLogLog/exact-set sketches are approximate.");
        report.Note("");
        report.Note("First result row of each query (cross-check that all three answer the same question):");
        foreach (var line in check)
        {
            report.Note(line);
        }

        Report.BarPlot(Path.Combine(context.ResultsDir, "peers.png"), "Warm p50 latency per dashboard query", "ms",
            [.. queries.Select(q => q.Name.Split(' ')[0])], ("ours", [.. plotOurs]), ("PostgreSQL", [.. plotPg]), ("ClickHouse", [.. plotCh]));
        return report;
    }

    private static async Task EnsureServicesAsync()
    {
        var repo = Paths.RepoRoot();
        foreach (var name in new[] { "postgres", "clickhouse" })
        {
            var psi = new ProcessStartInfo("bash", [Path.Combine(repo, "scripts", "services.sh"), "up", name])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(psi)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(cts.Token);
            Console.Write(output);
            if (process.ExitCode != 0)
            {
                throw new SkipScenarioException($"scripts/services.sh up {name} failed (exit {process.ExitCode}): {output.Trim()}");
            }
        }
    }

    public sealed record PeerRow(TrackedEvent Event, ulong VisitorHash, ulong SessionId, string SessionSource);

    /// <summary>Session ids by our rule (a visitor's event more than 30 minutes after its previous one opens a new session).</summary>
    public static List<PeerRow> PeerRows(IReadOnlyList<TrackedEvent> events)
    {
        var open = new Dictionary<string, (DateTime LastSeen, ulong Session, string Source)>(StringComparer.Ordinal);
        var rows = new List<PeerRow>(events.Count);
        ulong next = 0;
        foreach (var e in events.OrderBy(e => e.Timestamp))
        {
            var key = e.VisitorKey;
            if (!open.TryGetValue(key, out var session) || e.Timestamp - session.LastSeen > TimeSpan.FromMinutes(30))
            {
                session = (e.Timestamp, ++next, e.Source);
            }

            open[key] = (e.Timestamp, session.Session, session.Source);
            rows.Add(new PeerRow(e, XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key)), session.Session, session.Source));
        }

        return rows;
    }

    private static async Task LoadPostgresAsync(List<PeerRow> rows)
    {
        await using var pg = new NpgsqlConnection(PostgresConnection);
        await pg.OpenAsync();
        await Exec(pg, """
            DROP TABLE IF EXISTS website_event;
            CREATE TABLE website_event (
                event_id uuid NOT NULL, website_id text NOT NULL, session_id bigint NOT NULL, visitor_id text NOT NULL,
                created_at timestamptz NOT NULL, url_path text NOT NULL, referrer_domain text, source text NOT NULL,
                event_name text NOT NULL, browser text, os text, device text, screen text,
                utm_source text, utm_medium text, utm_campaign text)
            """);
        await using (var copy = await pg.BeginBinaryImportAsync("COPY website_event (event_id, website_id, session_id, visitor_id, created_at, url_path, referrer_domain, source, event_name, browser, os, device, screen, utm_source, utm_medium, utm_campaign) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows)
            {
                var e = r.Event;
                await copy.StartRowAsync();
                await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(e.Site, NpgsqlDbType.Text);
                await copy.WriteAsync((long)r.SessionId, NpgsqlDbType.Bigint);
                await copy.WriteAsync(e.VisitorId, NpgsqlDbType.Text);
                await copy.WriteAsync(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(e.Pathname, NpgsqlDbType.Text);
                await WriteNullable(copy, e.Referrer);
                await copy.WriteAsync(r.SessionSource, NpgsqlDbType.Text);
                await copy.WriteAsync(e.Name, NpgsqlDbType.Text);
                await copy.WriteAsync(e.Browser, NpgsqlDbType.Text);
                await copy.WriteAsync(e.Os, NpgsqlDbType.Text);
                await copy.WriteAsync(e.Device, NpgsqlDbType.Text);
                await WriteNullable(copy, e.ScreenSize);
                await WriteNullable(copy, e.UtmSource);
                await WriteNullable(copy, e.UtmMedium);
                await WriteNullable(copy, e.UtmCampaign);
            }

            await copy.CompleteAsync();
        }

        // Umami's website_event indexes (created_at, session_id, website_id and the website_id composites).
        await Exec(pg, """
            ALTER TABLE website_event ADD PRIMARY KEY (event_id);
            CREATE INDEX website_event_created_at_idx ON website_event (created_at);
            CREATE INDEX website_event_session_id_idx ON website_event (session_id);
            CREATE INDEX website_event_website_id_idx ON website_event (website_id);
            CREATE INDEX website_event_website_id_created_at_idx ON website_event (website_id, created_at);
            CREATE INDEX website_event_website_id_session_id_created_at_idx ON website_event (website_id, session_id, created_at);
            CREATE INDEX website_event_website_id_created_at_url_path_idx ON website_event (website_id, created_at, url_path);
            CREATE INDEX website_event_website_id_created_at_source_idx ON website_event (website_id, created_at, source);
            """);
        await Exec(pg, "VACUUM ANALYZE website_event");

        static Task WriteNullable(NpgsqlBinaryImporter copy, string? value) =>
            value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, NpgsqlDbType.Text);
    }

    private static async Task Exec(NpgsqlConnection pg, string sql)
    {
        await using var command = new NpgsqlCommand(sql, pg);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<(double Ms, string FirstRow)> RunPostgresAsync(NpgsqlConnection pg, string sql)
    {
        var sw = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand(sql, pg);
        await using var reader = await command.ExecuteReaderAsync();
        string? first = null;
        while (await reader.ReadAsync())
        {
            if (first is null)
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                first = string.Join(", ", values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
            }
        }

        return (sw.Elapsed.TotalMilliseconds, first ?? "(no rows)");
    }

    private static async Task LoadClickHouseAsync(HttpClient ch, List<PeerRow> rows)
    {
        await ClickHouseAsync(ch, "DROP TABLE IF EXISTS events");
        await ClickHouseAsync(ch, """
            CREATE TABLE events (
                timestamp DateTime, name String, site_id String, user_id UInt64, session_id UInt64, pathname String,
                referrer String, referrer_source String, utm_source String, utm_medium String, utm_campaign String,
                browser String, os String, device String, screen_size String)
            ENGINE = MergeTree() PARTITION BY toYYYYMM(timestamp) ORDER BY (site_id, toDate(timestamp), name, user_id) SETTINGS index_granularity = 8192
            """);
        const int chunk = 100_000;
        for (var i = 0; i < rows.Count; i += chunk)
        {
            var sb = new StringBuilder(chunk * 160);
            foreach (var r in rows.Skip(i).Take(chunk))
            {
                var e = r.Event;
                sb.Append(e.Timestamp.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append('\t')
                    .Append(Tsv(e.Name)).Append('\t').Append(Tsv(e.Site)).Append('\t')
                    .Append(r.VisitorHash.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(r.SessionId.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(Tsv(e.Pathname)).Append('\t').Append(Tsv(e.Referrer)).Append('\t').Append(Tsv(r.SessionSource)).Append('\t')
                    .Append(Tsv(e.UtmSource)).Append('\t').Append(Tsv(e.UtmMedium)).Append('\t').Append(Tsv(e.UtmCampaign)).Append('\t')
                    .Append(Tsv(e.Browser)).Append('\t').Append(Tsv(e.Os)).Append('\t').Append(Tsv(e.Device)).Append('\t').Append(Tsv(e.ScreenSize)).Append('\n');
            }

            using var content = new StringContent(sb.ToString(), Encoding.UTF8, "text/tab-separated-values");
            using var response = await ch.PostAsync("?query=" + Uri.EscapeDataString("INSERT INTO events FORMAT TabSeparated"), content);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException("ClickHouse insert failed: " + await response.Content.ReadAsStringAsync());
            }
        }

        await ClickHouseAsync(ch, "OPTIMIZE TABLE events FINAL");

        static string Tsv(string? s) => s is null ? string.Empty : s.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n");
    }

    private static async Task<string> ClickHouseAsync(HttpClient ch, string sql)
    {
        using var content = new StringContent(sql, Encoding.UTF8, "text/plain");
        using var response = await ch.PostAsync(string.Empty, content);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"ClickHouse: {text}\n{sql}");
    }

    private static async Task<(double Ms, string FirstRow)> RunClickHouseAsync(HttpClient ch, string sql)
    {
        var sw = Stopwatch.StartNew();
        var text = await ClickHouseAsync(ch, sql + " FORMAT TabSeparated");
        var ms = sw.Elapsed.TotalMilliseconds;
        var first = text.Split('\n', 2)[0].Replace('\t', ',');
        return (ms, first.Length == 0 ? "(no rows)" : first);
    }
}

using System.Diagnostics;
using System.Globalization;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;

namespace Analytics.Bench.Micro;

/// <summary>
/// grains/Segments: one sealed day segment (~1M events, 300k sessions) scanned for four typical questions, against DuckDB
/// holding the same rows in memory (events with their session's source and entry page, as Plausible's events table,
/// and a sessions table) answering the equivalent SQL. Setup prints the sealed size and both engines' top rows.
/// </summary>
[MemoryDiagnoser]
public class SegmentScanBenchmarks
{
    private static readonly DateTime Day = new(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string Range = $"ts >= TIMESTAMP '{Day:yyyy-MM-dd}' AND ts < TIMESTAMP '{Day.AddDays(1):yyyy-MM-dd}'";
    private static readonly string SessionRange = Range.Replace("ts", "start", StringComparison.Ordinal);

    private static readonly (string Name, StatsQuery Query, string Sql)[] Questions =
    [
        ("top pages", Ask([MetricNames.Visitors, MetricNames.Pageviews], [Dimensions.Page]),
            $"SELECT page, count(DISTINCT visitor) AS visitors, count(*) FILTER (WHERE name = 'pageview') AS pageviews FROM events WHERE {Range} AND name <> 'engagement' GROUP BY page ORDER BY visitors DESC, page LIMIT 10"),
        ("pages from Google", Ask([MetricNames.Visitors, MetricNames.Pageviews], [Dimensions.Page], new DimensionFilter(FilterOperator.Is, Dimensions.Source, ["Google"])),
            $"SELECT page, count(DISTINCT visitor) AS visitors, count(*) FILTER (WHERE name = 'pageview') AS pageviews FROM events WHERE {Range} AND name <> 'engagement' AND source = 'Google' GROUP BY page ORDER BY visitors DESC, page LIMIT 10"),
        ("source x entry page", Ask([MetricNames.Visitors, MetricNames.Visits], [Dimensions.Source, Dimensions.EntryPage]),
            $"SELECT source, entry_page, count(DISTINCT visitor) AS visitors, count(*) AS visits FROM sessions WHERE {SessionRange} GROUP BY source, entry_page ORDER BY visitors DESC, source, entry_page LIMIT 10"),
        ("regex page, bounce rate", Ask([MetricNames.Visits, MetricNames.BounceRate], [], new DimensionFilter(FilterOperator.Matches, Dimensions.Page, ["^/blog/post-1"])),
            $"SELECT count(*) AS visits, round(100.0 * count(*) FILTER (WHERE bounce) / count(*)) AS bounce_rate FROM sessions WHERE {SessionRange} AND session_id IN (SELECT session FROM events WHERE {Range} AND name <> 'engagement' AND regexp_matches(page, '^/blog/post-1'))"),
    ];

    private Analytics.Grains.Segments.Segment _segment = null!;
    private DuckDBConnection _duck = null!;

    [Params(0, 1, 2, 3)]
    public int Question { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var day = new SegmentDay(Day, sessions: 300_000);
        var builder = new SegmentBuilder(SegmentKey.Of(SegmentDay.Site, Day));
        builder.Apply(day.Append());
        var clock = Stopwatch.StartNew();
        var built = builder.Build();
        var buildMs = clock.ElapsedMilliseconds;
        clock.Restart();
        var sealedBytes = built.Write();
        var writeMs = clock.ElapsedMilliseconds;
        clock.Restart();
        _segment = Analytics.Grains.Segments.Segment.Read(sealedBytes);
        Console.WriteLine(
            $"// segment: {_segment.EventCount:N0} events, {_segment.SessionCount:N0} sessions; sealed {sealedBytes.Length:N0} B = " +
            $"{(double)sealedBytes.Length / _segment.EventCount:F1} B/event; build {buildMs} ms, write {writeMs} ms, read {clock.ElapsedMilliseconds} ms");
        _duck = Load(day);
        foreach (var (name, query, sql) in Questions)
        {
            Console.WriteLine($"// {name}: segment [{Describe(Scan(query))}]");
            Console.WriteLine($"// {name}: duckdb  [{Describe(Sql(sql))}]");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _duck.Dispose();

    [Benchmark(Description = "segment scan + merge + result")]
    public QueryResult Segment() => Scan(Questions[Question].Query);

    [Benchmark(Description = "DuckDB in-memory SQL", Baseline = true)]
    public List<object[]> DuckDb() => Sql(Questions[Question].Sql);

    private static StatsQuery Ask(string[] metrics, string[] dimensions, FilterExpression? filter = null) => new()
    {
        Site = SegmentDay.Site,
        Metrics = metrics,
        Dimensions = dimensions,
        FromUtc = Day,
        ToUtc = Day.AddDays(1),
        Timezone = "UTC",
        Filter = filter,
        Limit = 10,
    };

    private QueryResult Scan(StatsQuery query) => _segment.Scan(query).ToResult(query);

    private List<object[]> Sql(string sql)
    {
        using var command = _duck.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    private static string Describe(QueryResult result) =>
        string.Join("; ", result.Rows.Take(3).Select(r => string.Join(",", [.. r.Dimensions, .. r.Metrics.Select(m => m.ToString(CultureInfo.InvariantCulture))])));

    private static string Describe(List<object[]> rows) =>
        string.Join("; ", rows.Take(3).Select(r => string.Join(",", r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))));

    private static DuckDBConnection Load(SegmentDay day)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE events (ts TIMESTAMP, name VARCHAR, page VARCHAR, visitor UBIGINT, session UBIGINT, engagement_ms BIGINT, source VARCHAR, entry_page VARCHAR);
                CREATE TABLE sessions (session_id UBIGINT, visitor UBIGINT, start TIMESTAMP, "end" TIMESTAMP, bounce BOOLEAN, pageviews INTEGER, source VARCHAR, entry_page VARCHAR);
                """;
            create.ExecuteNonQuery();
        }

        var sessions = day.Sessions.ToDictionary(s => s.SessionId);
        using (var appender = connection.CreateAppender("events"))
        {
            foreach (var e in day.Events)
            {
                var session = sessions[e.Session];
                appender.CreateRow().AppendValue(e.Timestamp).AppendValue(e.Name).AppendValue(e.Pathname).AppendValue(e.Visitor)
                    .AppendValue(e.Session).AppendValue(e.EngagementMs).AppendValue(session.Source).AppendValue(session.EntryPage).EndRow();
            }
        }

        using (var appender = connection.CreateAppender("sessions"))
        {
            foreach (var s in day.Sessions)
            {
                appender.CreateRow().AppendValue(s.SessionId).AppendValue(s.Visitor).AppendValue(s.Start).AppendValue(s.End)
                    .AppendValue(s.Bounce).AppendValue(s.Pageviews).AppendValue(s.Source).AppendValue(s.EntryPage).EndRow();
            }
        }

        return connection;
    }
}

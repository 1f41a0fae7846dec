using System.Globalization;
using System.Net;
using System.Text.Json;
using Analytics.Gateway.Api;
using Analytics.Testing;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using DuckDB.NET.Data;

namespace Analytics.Tests.Functional;

/// <summary>
/// Segment export as Arrow IPC and Parquet, through the real embedded host: the Parquet file is read back by an
/// independent reader (DuckDB's read_parquet) and its counts must equal what the Stats API answers for the same range.
/// </summary>
public sealed class SegmentExportTests : IAsyncLifetime
{
    private const string Site = "segexport.test";
    private readonly EmbeddedAppFactory _app = new();
    private HttpClient _http = null!;

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        _http = _app.CreateClient();
        await _app.RegisterAsync(Site);
        foreach (var (visitor, name, path, props) in new (string, string, string, string?)[]
        {
            ("exportv01", "pageview", "/", null),
            ("exportv01", "pageview", "/pricing", null),
            ("exportv01", "Signup", "/pricing", """{"plan":"pro"}"""),
            ("exportv02", "pageview", "/blog/a", null),
            ("exportv03", "pageview", "/", null),
            ("exportv03", "pageview", "/docs", null),
        })
        {
            var body = JsonSerializer.Serialize(new { name, url = $"https://{Site}{path}", domain = Site, v = visitor, props });
            var response = await _http.PostEventAsync(body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // Every event counted (five pageviews and the signup), not only the pageviews: the export is compared with all of them.
        await Poll.UntilAsync(
            () => _http.QueryAsync(new { site_id = Site, metrics = new[] { "events" }, date_range = "day" }),
            r => r.Metrics()[0] >= 6, TimeSpan.FromSeconds(30), "all six events of segexport.test");
    }

    [Fact]
    public async Task Parquet_read_by_DuckDB_matches_the_stats_api()
    {
        var stats = (await _http.QueryAsync(new { site_id = Site, metrics = new[] { "visitors", "pageviews", "events" }, date_range = new[] { Today, Today } })).Metrics();
        var response = await _http.GetAsync($"/api/sites/{Site}/export/segments.parquet?from={Today}&to={Today}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SegmentExportApi.ParquetContentType, response.Content.Headers.ContentType?.MediaType);
        var file = Path.Combine(Path.GetTempPath(), $"segexport-{Guid.NewGuid():N}.parquet");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        try
        {
            using var duck = new DuckDBConnection("DataSource=:memory:");
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"""
                SELECT count(DISTINCT visitor) FILTER (WHERE name <> 'engagement'), count(*) FILTER (WHERE name = 'pageview'),
                       count(*) FILTER (WHERE name <> 'engagement'),
                       count(*) FILTER (WHERE name = 'Signup' AND props LIKE '%"plan":"pro"%' AND entry_page = '/'),
                       min(timestamp) >= TIMESTAMPTZ '{Today} 00:00:00+00'
                FROM read_parquet('{file}')
                """;
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal(stats, new[] { Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture), Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture) });
            Assert.Equal(new[] { 3d, 5d, 6d }, stats);
            Assert.Equal(1L, Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture));
            Assert.True(reader.GetBoolean(4));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Arrow_stream_holds_every_event_of_the_range_and_none_outside()
    {
        var rows = await ArrowRowsAsync($"from={Today}&to={Today}");
        Assert.Equal(6, rows.Count);
        Assert.Equal(["/", "/", "/blog/a", "/docs", "/pricing", "/pricing"], rows.Select(r => r.Page).Order(StringComparer.Ordinal));
        Assert.All(rows.Where(r => r.Visitor == rows[0].Visitor), r => Assert.Equal(rows[0].Session, r.Session));
        Assert.Empty(await ArrowRowsAsync("from=2020-01-01&to=2020-01-31"));
    }

    [Theory]
    [InlineData("segments.arrow", "from=2026-02-01&to=2026-01-01", HttpStatusCode.BadRequest)]
    [InlineData("segments.parquet", "from=someday&to=2026-01-01", HttpStatusCode.BadRequest)]
    [InlineData("segments.parquet", "", HttpStatusCode.BadRequest)]
    public async Task A_bad_range_is_a_400_problem(string file, string query, HttpStatusCode expected)
    {
        var response = await _http.GetAsync($"/api/sites/{Site}/export/{file}?{query}");
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_site_is_a_404_problem()
    {
        var response = await _http.GetAsync($"/api/sites/nowhere.test/export/segments.arrow?from={Today}&to={Today}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<List<(string Page, ulong Visitor, ulong Session)>> ArrowRowsAsync(string query)
    {
        var response = await _http.GetAsync($"/api/sites/{Site}/export/segments.arrow?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new ArrowStreamReader(await response.Content.ReadAsStreamAsync());
        var rows = new List<(string, ulong, ulong)>();
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            var pages = (StringArray)batch.Column("page");
            var visitors = (UInt64Array)batch.Column("visitor");
            var sessions = (UInt64Array)batch.Column("session");
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add((pages.GetString(i), visitors.GetValue(i)!.Value, sessions.GetValue(i)!.Value));
            }
        }

        return rows;
    }
}

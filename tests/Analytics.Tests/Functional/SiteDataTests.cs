using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Gateway.Api;
using Analytics.Sqlite.EventLog;
using Analytics.Testing;
using Analytics.Tests.Privacy;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Tests.Functional;

/// <summary>Per-site export (CSV of aggregates and raw events) and delete-site, through the embedded host.</summary>
public sealed class SiteDataTests : IAsyncLifetime
{
    private readonly EmbeddedAppFactory _app = new();
    private HttpClient _http = null!;

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public Task InitializeAsync()
    {
        _http = _app.CreateClient();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Aggregates_and_raw_events_export_as_csv()
    {
        await _app.RegisterAsync("export.test");
        await SendAsync("export.test", "exportvisitor01", "pageview", "/pricing");
        await SendAsync("export.test", "exportvisitor01", "pageview", "/a,b \"quoted\"");
        await SendAsync("export.test", "exportvisitor02", "=SUM(1+1)", "/");
        await _http.WaitForPageviewsAsync("export.test", 2);
        await Poll.UntilAsync(() => _http.GetCsvAsync("export.test", "events.csv", $"from={Today}&to={Today}"), rows => rows.Count == 4, TimeSpan.FromSeconds(30), "three exported events");

        // Aggregates and raw events are read from different places; each is polled until it has caught up.
        var days = await Poll.UntilAsync(
            () => _http.GetCsvAsync("export.test", "aggregates.csv", $"from={Today}&to={Today}&granularity=day"),
            rows => rows.Count == 2 && rows[1][7] == "3", TimeSpan.FromSeconds(30), "a day of three counted events");
        Assert.Equal(["bucket", "visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration", "events", "time_on_page", "scroll_depth"], days[0]);
        var today = Assert.Single(days.Skip(1));
        Assert.StartsWith(Today, today[0], StringComparison.Ordinal);
        Assert.Equal(("2", "2", "3"), (today[1], today[3], today[7])); // visitors, pageviews, events (pageviews + custom events)

        var hours = await _http.GetCsvAsync("export.test", "aggregates.csv", $"from={Today}&to={Today}&granularity=hour");
        Assert.Equal(2, hours.Skip(1).Sum(r => double.Parse(r[3], CultureInfo.InvariantCulture)));

        var events = await _http.GetCsvAsync("export.test", "events.csv", $"from={Today}&to={Today}");
        Assert.Equal(ExportApi.EventColumns, events[0]);
        var byColumn = events.Skip(1).Select(r => events[0].Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
        Assert.Equal(["/a,b \"quoted\"", "/pricing"], byColumn.Where(e => e["name"] == "pageview").Select(e => e["pathname"]).Order(StringComparer.Ordinal));
        // CSV injection: the custom event's name would be a formula in a spreadsheet; it is exported as text.
        Assert.Equal("'=SUM(1+1)", Assert.Single(byColumn, e => e["name"] != "pageview")["name"]);
        Assert.All(byColumn, e => Assert.StartsWith("c:exportvisitor0", e["visitor_id"], StringComparison.Ordinal));

        // A range that ends before today holds none of them.
        Assert.Single(await _http.GetCsvAsync("export.test", "events.csv", "from=2020-01-01&to=2020-01-31"));

        // Exports at the same time each stream the whole answer (each enumeration stays with its own activation).
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _http.GetCsvAsync("export.test", "events.csv", $"from={Today}&to={Today}")));
        Assert.All(concurrent, rows => Assert.Equal(4, rows.Count));
    }

    [Theory]
    [InlineData("aggregates.csv?from=2026-01-01&to=2026-01-31&granularity=week")]
    [InlineData("aggregates.csv?from=2026-01-31&to=2026-01-01")]
    [InlineData("aggregates.csv?to=2026-01-01")]
    [InlineData("events.csv?from=2026-13-01&to=2026-01-01")]
    [InlineData("events.csv?from=1900-01-01&to=2026-01-01")]
    [InlineData("events.csv?from=2000-01-01&to=2026-01-01")]
    public async Task Bad_export_parameters_are_a_400_problem(string pathAndQuery)
    {
        await _app.RegisterAsync("bad-export.test");
        var response = await _http.GetAsync($"/api/sites/bad-export.test/export/{pathAndQuery}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", "/api/sites/nowhere.test/export/events.csv?from=2026-01-01&to=2026-01-02")]
    [InlineData("GET", "/api/sites/nowhere.test/export/aggregates.csv?from=2026-01-01&to=2026-01-02")]
    [InlineData("DELETE", "/api/sites/nowhere.test")]
    public async Task An_unknown_site_is_a_404_problem(string method, string path)
    {
        var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Delete_site_erases_everything_about_it_and_a_new_registration_starts_from_zero()
    {
        await _app.RegisterAsync("erase.test");
        await _app.RegisterAsync("keep.test");
        foreach (var (site, visitor) in new[] { ("erase.test", "erasevisitor01"), ("erase.test", "erasevisitor02"), ("keep.test", "keepvisitor01") })
        {
            await SendAsync(site, visitor, "pageview", "/");
            await SendAsync(site, visitor, "Signup", "/signup");
        }

        await _http.WaitForPageviewsAsync("erase.test", 2);
        await _http.WaitForPageviewsAsync("keep.test", 1);
        // A closed range's result goes into the hot cache; the deletion must take it out.
        var closed = new { site_id = "erase.test", metrics = new[] { "pageviews" }, date_range = new[] { "2020-01-01", "2020-01-31" } };
        Assert.Equal("miss", await CacheOutcomeAsync(closed));
        Assert.Equal("hit", await CacheOutcomeAsync(closed));

        var deleted = await _http.DeleteSiteAsync("erase.test");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/sites/erase.test")).StatusCode);
        Assert.DoesNotContain("erase.test", await _http.GetFromJsonAsync<string[]>("/api/sites") ?? []);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PostAsJsonAsync("/api/v2/query", closed)).StatusCode);
        var late = await _http.PostEventAsync("""{"name":"pageview","url":"https://erase.test/late","domain":"erase.test","v":"erasevisitor01"}""");
        Assert.Equal("unknown_site", late.Headers.GetValues("X-Drop-Reason").Single());
        // An event accepted by a gateway that had not yet learned of the deletion reaches a fresh visitor activation
        // through the stream afterwards: it is dropped, so the visitor writes neither state nor segment rows. (Its row in
        // the event log goes with the repeated deletion below.)
        await _app.Services.GetRequiredService<SqliteEventLog>().DeliverAsync([TestEvents.Pageview("c:latevisitor01", DateTime.UtcNow, site: "erase.test")]);
        foreach (var (file, bytes) in DataFiles.ReadAll(_app.DataDirectory).Where(f => !f.Key.StartsWith("events.db", StringComparison.Ordinal)))
        {
            Assert.False(DataFiles.Contains(bytes, Encoding.UTF8.GetBytes("latevisitor01")), $"the late visitor is in {file}");
        }

        // Idempotent: a deletion that failed half-way can be repeated, so repeating one that succeeded is no error either.
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteSiteAsync("erase.test")).StatusCode);

        var files = DataFiles.ReadAll(_app.DataDirectory);
        Assert.True(files.Values.Any(b => DataFiles.Contains(b, Encoding.UTF8.GetBytes("keepvisitor01"))), "control: the other site's visitor is found");
        Assert.True(files.Values.Any(b => DataFiles.Contains(b, Encoding.UTF8.GetBytes("keep.test"))), "control: the other site is found");
        foreach (var secret in new[] { "erase.test", "erasevisitor01", "erasevisitor02", "latevisitor01" })
        {
            foreach (var (file, bytes) in files)
            {
                Assert.False(DataFiles.Contains(bytes, Encoding.UTF8.GetBytes(secret)), $"'{secret}' is still in {file}");
                Assert.False(DataFiles.Contains(bytes, Encoding.Unicode.GetBytes(secret)), $"'{secret}' (UTF-16) is still in {file}");
            }
        }

        Assert.Equal(1, await _http.PageviewsTodayAsync("keep.test"));

        // Registered again: nothing of the old site shows, not even the cached closed range; new events count from zero.
        await _app.RegisterAsync("erase.test");
        Assert.Equal(0, await _http.PageviewsTodayAsync("erase.test"));
        Assert.Equal("miss", await CacheOutcomeAsync(closed));
        await SendAsync("erase.test", "erasevisitor01", "pageview", "/again");
        await _http.WaitForPageviewsAsync("erase.test", 1);
        var again = await _http.QueryAsync(new { site_id = "erase.test", metrics = new[] { "visitors", "pageviews", "events" }, date_range = "day" });
        Assert.Equal([1, 1, 1], again.Metrics()); // events = pageviews + custom events
    }

    private async Task SendAsync(string site, string visitor, string name, string path)
    {
        var body = JsonSerializer.Serialize(new { name, url = $"https://{site}{path}", domain = site, v = visitor });
        var response = await _http.PostEventAsync(body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Drop-Reason"), $"{body} was dropped");
    }

    private async Task<string> CacheOutcomeAsync(object query)
    {
        var response = await _http.PostAsJsonAsync("/api/v2/query", query);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues(QueryApi.CacheHeader).Single();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
}

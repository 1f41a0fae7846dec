using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Analytics.Tests.Functional;

/// <summary>The embedded app with include.test seeded once with three pageviews today: a reads /Pricing and /blog, b reads /pricing.</summary>
public sealed class QueryIncludeFixture : EmbeddedAppFactory, IAsyncLifetime
{
    public const string Site = "include.test";

    public async Task InitializeAsync()
    {
        await RegisterAsync(Site);
        var http = CreateClient();
        foreach (var (path, visitor) in new[] { ("/Pricing", "visitor-aaaa"), ("/blog", "visitor-aaaa"), ("/pricing", "visitor-bbbb") })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostEventAsync($$"""{"n":"pageview","u":"https://{{Site}}{{path}}","d":"{{Site}}","vid":"{{visitor}}"}""")).StatusCode);
        }

        await http.WaitForPageviewsAsync(Site, 3);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>The Stats API v2's include (time_labels, total_rows, comparisons) and filter modifiers, through the HTTP API.</summary>
public sealed class QueryIncludeTests(QueryIncludeFixture app) : IClassFixture<QueryIncludeFixture>
{
    private const string Site = QueryIncludeFixture.Site;
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private readonly HttpClient _http = app.CreateClient();

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Time_labels_list_every_bucket_of_the_range()
    {
        var result = await _http.QueryAsync(new
        {
            site_id = Site, metrics = new[] { "pageviews" }, date_range = "7d", dimensions = new[] { "time:day" },
            include = new { time_labels = true, total_rows = true },
        });

        var labels = result.GetProperty("meta").GetProperty("time_labels").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => Day(Today.AddDays(i - 6))), labels);
        Assert.Equal(3, result.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("dimensions")[0].GetString() == Day(Today)).GetProperty("metrics")[0].GetDouble());
        Assert.True(result.GetProperty("meta").GetProperty("total_rows").GetInt32() >= 1);
        Assert.False((await _http.QueryAsync(new { site_id = Site, metrics = new[] { "pageviews" }, date_range = "7d", dimensions = new[] { "time:day" } }))
            .GetProperty("meta").TryGetProperty("time_labels", out _));
    }

    [Fact]
    public async Task Comparisons_give_each_row_its_previous_period_row_and_change()
    {
        var result = await _http.QueryAsync(new
        {
            site_id = Site, metrics = new[] { "visitors", "pageviews" }, date_range = "7d", dimensions = new[] { "event:page" },
            include = new { comparisons = new { mode = "previous_period" } },
        });

        Assert.Equal([Day(Today.AddDays(-13)), Day(Today.AddDays(-7))],
            result.GetProperty("query").GetProperty("comparison_date_range").EnumerateArray().Select(d => d.GetString()));
        var rows = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            var comparison = row.GetProperty("comparison");
            Assert.Equal(row.GetProperty("dimensions")[0].GetString(), comparison.GetProperty("dimensions")[0].GetString());
            Assert.Equal([0.0, 0.0], comparison.GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble()));
            Assert.Equal([100.0, 100.0], comparison.GetProperty("change").EnumerateArray().Select(m => m.GetDouble()));
        }
    }

    [Fact]
    public async Task Comparisons_of_a_time_series_pair_each_day_with_the_day_as_far_into_the_comparison()
    {
        var result = await _http.QueryAsync(new
        {
            site_id = Site, metrics = new[] { "pageviews" }, date_range = new[] { Day(Today.AddDays(-1)), Day(Today) }, dimensions = new[] { "time:day" },
            include = new { comparisons = new { mode = "custom", date_range = new[] { Day(Today), Day(Today.AddDays(1)) } } },
        });

        var rows = result.GetProperty("results").EnumerateArray().ToList();
        // Yesterday (nothing) against today (3 pageviews); today against tomorrow (nothing).
        Assert.Equal(Day(Today), rows[0].GetProperty("comparison").GetProperty("dimensions")[0].GetString());
        Assert.Equal(3, rows[0].GetProperty("comparison").GetProperty("metrics")[0].GetDouble());
        Assert.Equal(-100, rows[0].GetProperty("comparison").GetProperty("change")[0].GetDouble());
        Assert.Equal(Day(Today.AddDays(1)), rows[1].GetProperty("comparison").GetProperty("dimensions")[0].GetString());
        Assert.Equal(100, rows[1].GetProperty("comparison").GetProperty("change")[0].GetDouble());
    }

    [Fact]
    public async Task Is_matches_case_sensitively_and_contains_with_case_sensitive_false_ignores_case()
    {
        var exact = await _http.QueryAsync(new
        {
            site_id = Site, metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:page" },
            filters = new object[] { new object[] { "is", "event:page", new[] { "/pricing" } } },
        });
        var anyCase = await _http.QueryAsync(new
        {
            site_id = Site, metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:page" },
            filters = new object[] { new object[] { "contains", "event:page", new[] { "PRIC" }, new { case_sensitive = false } } },
        });

        Assert.Equal(["/pricing"], exact.Rows().Keys);
        Assert.Equal(["/Pricing", "/pricing"], anyCase.Rows().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_valid_query_the_engine_cannot_answer_yet_is_a_400_that_says_so()
    {
        using var response = await _http.PostAsync("/api/v2/query", new StringContent(
            $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","dimensions":["event:props:plan"]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not supported yet", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

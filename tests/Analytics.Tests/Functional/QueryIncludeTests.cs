using System.Globalization;
using System.Net;

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
    public async Task Comparisons_of_a_time_series_pair_each_bucket_with_the_one_as_far_into_the_comparison()
    {
        var today = new[] { Day(Today), Day(Today) };
        var before = await _http.QueryAsync(new
        {
            site_id = Site, metrics = new[] { "pageviews" }, date_range = today, dimensions = new[] { "time:day" },
            include = new { comparisons = new { mode = "previous_period" } },
        });
        var itself = await _http.QueryAsync(new
        {
            site_id = Site, metrics = new[] { "pageviews" }, date_range = today, dimensions = new[] { "time:day" },
            include = new { comparisons = new { mode = "custom", date_range = today } },
        });

        // Today (3 pageviews) against yesterday (none), and against itself.
        var row = Assert.Single(before.GetProperty("results").EnumerateArray()).GetProperty("comparison");
        Assert.Equal(Day(Today.AddDays(-1)), row.GetProperty("dimensions")[0].GetString());
        Assert.Equal((0, 100), (row.GetProperty("metrics")[0].GetDouble(), row.GetProperty("change")[0].GetDouble()));
        var same = Assert.Single(itself.GetProperty("results").EnumerateArray()).GetProperty("comparison");
        Assert.Equal(Day(Today), same.GetProperty("dimensions")[0].GetString());
        Assert.Equal((3, 0), (same.GetProperty("metrics")[0].GetDouble(), same.GetProperty("change")[0].GetDouble()));
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
}

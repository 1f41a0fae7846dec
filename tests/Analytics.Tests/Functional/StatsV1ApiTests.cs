using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Tests.Functional;

/// <summary>The embedded app with v1.test seeded once: a reads /a and /b and signs up, b reads /a (one bounce in two visits).</summary>
public sealed class StatsV1Fixture : EmbeddedAppFactory, IAsyncLifetime
{
    public const string Site = "v1.test";

    public async Task InitializeAsync()
    {
        await RegisterAsync(Site);
        var http = CreateClient();
        foreach (var (name, path, visitor) in new[] { ("pageview", "/a", "visitor-aaaa"), ("pageview", "/b", "visitor-aaaa"), ("Signup", "/b", "visitor-aaaa"), ("pageview", "/a", "visitor-bbbb") })
        {
            var response = await http.PostEventAsync($$"""{"n":"{{name}}","u":"https://{{Site}}{{path}}","d":"{{Site}}","vid":"{{visitor}}"}""");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await Poll.UntilAsync(
            () => http.QueryAsync(new { site_id = Site, metrics = new[] { "events" }, date_range = "day" }),
            r => r.Metrics() is [4], TimeSpan.FromSeconds(30), "the 4 seeded events");
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>
/// Plausible's Stats API v1 as its clients call it (GET with a query string, Bearer key), answered in v1's shapes.
/// Read over the seeded <see cref="StatsV1Fixture"/>.
/// </summary>
public sealed class StatsV1ApiTests(StatsV1Fixture app) : IClassFixture<StatsV1Fixture>
{
    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task Aggregate_answers_each_metric_as_a_value()
    {
        var result = await GetAsync("aggregate?site_id=v1.test&period=day&metrics=visitors,visits,pageviews,events,bounce_rate,views_per_visit");

        Assert.Equal((2, 2, 3, 4, 50, 1.5), (Value(result, "visitors"), Value(result, "visits"), Value(result, "pageviews"), Value(result, "events"), Value(result, "bounce_rate"), Value(result, "views_per_visit")));
        Assert.Equal(2, Value(await GetAsync("aggregate?site_id=v1.test&period=7d"), "visitors")); // metrics default to visitors
    }

    [Fact]
    public async Task Aggregate_compares_with_the_previous_period()
    {
        var result = await GetAsync($"aggregate?site_id=v1.test&period=7d&date={Today}&metrics=pageviews,bounce_rate&compare=previous_period");

        var pageviews = result.GetProperty("results").GetProperty("pageviews");
        Assert.Equal((3, 0, 100), (pageviews.GetProperty("value").GetDouble(), pageviews.GetProperty("comparison_value").GetDouble(), pageviews.GetProperty("change").GetDouble()));
        Assert.Equal(50, result.GetProperty("results").GetProperty("bounce_rate").GetProperty("change").GetDouble()); // points, not percent
    }

    [Fact]
    public async Task Timeseries_lists_every_bucket_of_the_period()
    {
        var days = (await GetAsync($"timeseries?site_id=v1.test&period=7d&date={Today}&metrics=visitors,pageviews")).GetProperty("results");
        var hours = (await GetAsync($"timeseries?site_id=v1.test&period=day&date={Today}")).GetProperty("results");

        Assert.Equal(7, days.GetArrayLength());
        Assert.Equal(Today, days[6].GetProperty("date").GetString());
        Assert.Equal((2, 3), (days[6].GetProperty("visitors").GetDouble(), days[6].GetProperty("pageviews").GetDouble()));
        Assert.Equal(0, days[0].GetProperty("pageviews").GetDouble());
        Assert.Equal(24, hours.GetArrayLength());
        Assert.Equal($"{Today} 00:00:00", hours[0].GetProperty("date").GetString());
        Assert.Equal(2, hours.EnumerateArray().Sum(h => h.GetProperty("visitors").GetDouble()));
    }

    [Fact]
    public async Task Breakdown_names_rows_by_the_property_biggest_first_with_limit_and_page()
    {
        var pages = (await GetAsync("breakdown?site_id=v1.test&period=day&property=event:page&metrics=visitors,pageviews")).GetProperty("results");
        var second = (await GetAsync("breakdown?site_id=v1.test&period=day&property=event:page&limit=1&page=2")).GetProperty("results");
        var names = (await GetAsync("breakdown?site_id=v1.test&period=day&property=event:name&metrics=visitors,events")).GetProperty("results");
        var filtered = (await GetAsync("breakdown?site_id=v1.test&period=day&property=event:page&filters=" + Uri.EscapeDataString("event:page==/b|/c"))).GetProperty("results");

        Assert.Equal(["/a:2:2", "/b:1:1"], pages.EnumerateArray().Select(r => $"{r.GetProperty("page").GetString()}:{r.GetProperty("visitors").GetDouble()}:{r.GetProperty("pageviews").GetDouble()}"));
        Assert.Equal("/b", Assert.Single(second.EnumerateArray()).GetProperty("page").GetString());
        Assert.Equal("Signup", Assert.Single(names.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("/b", Assert.Single(filtered.EnumerateArray()).GetProperty("page").GetString());
    }

    [Fact]
    public async Task Realtime_visitors_is_a_bare_number()
    {
        var response = await _http.GetAsync("/api/v1/stats/realtime/visitors?site_id=v1.test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, JsonSerializer.Deserialize<long>(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("aggregate?site_id=v1.test&metrics=nope", "Unknown metric 'nope'")]
    [InlineData("aggregate?period=day", "site_id is required")]
    [InlineData("aggregate?site_id=v1.test&period=forever", "Unknown date_range 'forever'")]
    [InlineData("aggregate?site_id=v1.test&period=custom&date=2024-01-01", "date=YYYY-MM-DD,YYYY-MM-DD")]
    [InlineData("aggregate?site_id=v1.test&compare=last_year", "compare 'last_year'")]
    [InlineData("aggregate?site_id=v1.test&filters=event:page", "dimension==value")]
    [InlineData("breakdown?site_id=v1.test", "property is required")]
    [InlineData("breakdown?site_id=v1.test&property=event:page&limit=5000", "limit must be an integer")]
    [InlineData("breakdown?site_id=v1.test&property=event:page&page=0", "page must be an integer")]
    [InlineData("timeseries?site_id=v1.test&interval=fortnight", "interval 'fortnight'")]
    public async Task Bad_queries_get_400_with_plausibles_error_member(string path, string message)
    {
        var response = await _http.GetAsync("/api/v1/stats/" + path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(message, problem.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(problem.GetProperty("error").GetString(), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_site_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/v1/stats/aggregate?site_id=nobody.test")).StatusCode);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await _http.GetAsync("/api/v1/stats/" + path);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
    }

    private static double Value(JsonElement result, string metric) => result.GetProperty("results").GetProperty(metric).GetProperty("value").GetDouble();
}

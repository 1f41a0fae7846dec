using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Tests.Functional;

public sealed class QueryApiTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>, IAsyncLifetime
{
    private readonly HttpClient _http = app.CreateClient();

    public Task InitializeAsync() => app.RegisterAsync("query.test", "Europe/Berlin");

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> InvalidQueries => new()
    {
        { """{"metrics":["visitors"],"date_range":"day"}""", "site_id is required" },
        { """{"site_id":"query.test","date_range":"day"}""", "metrics is required" },
        { """{"site_id":"query.test","metrics":["revenue"],"date_range":"day"}""", "Unknown metric 'revenue'" },
        { """{"site_id":"query.test","metrics":["visitors"]}""", "date_range is required" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"fortnight"}""", "Unknown date_range 'fortnight'" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":["2026-02-01","2026-01-01"]}""", "starts after it ends" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":["0001-01-01","9999-12-31"]}""", "Dates must lie between 1970-01-01 and 9000-12-31" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":["1990-01-01","2026-12-31"]}""", "more than" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"7d","date":"9999-12-31"}""", "Dates must lie between" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":["yesterday","today"]}""", "ISO dates" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"30d","dimensions":["time:hour"]}""", "" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"year","dimensions":["time:hour"]}""", "at most 31 days" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","dimensions":["visit:planet"]}""", "Unknown dimension 'visit:planet'" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","filters":[["matches","visit:source",["G(.*"]]]}""", "not a valid regular expression" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","filters":[["like","visit:source",["G"]]]}""", "Unknown filter operator 'like'" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","filters":[["has_done",["is","visit:source",["G"]]]]}""", "event dimensions only" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","dimensions":["visit:country_name"]}""", "not supported yet" },
        { """{"site_id":"query.test","metrics":["conversion_rate"],"date_range":"day"}""", "Metric `conversion_rate` can only be queried with event:goal filters or dimensions." },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","interval":"day"}""", "Unknown key 'interval'" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","include":{"totals":true}}""", "Unknown include key 'totals'" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","filters":[["is","visit:source","Google"]]}""", "[operator, dimension" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","order_by":[["pageviews","desc"]]}""", "order_by 'pageviews'" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","pagination":{"limit":0}}""", "pagination.limit" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day","date":"tomorrow"}""", "date must be an ISO date" },
        { """{"site_id":"query.test","metrics":"visitors","date_range":"day"}""", "array of strings" },
        { """{"site_id":"query.test","metrics":["visitors"],"date_range":"day",""", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(InvalidQueries))]
    public async Task Invalid_queries_get_400_problem_details_that_say_what_is_supported(string body, string detail)
    {
        var response = await _http.PostAsync("/api/v2/query", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        if (detail.Length == 0)
        {
            // 30 days of hours fits the hourly limit: this one is valid.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_sites_get_404_problem_details()
    {
        var response = await _http.PostAsJsonAsync("/api/v2/query", new { site_id = "nobody.test", metrics = new[] { "visitors" }, date_range = "day" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        var realtime = await _http.GetAsync("/api/v1/realtime/visitors?site_id=nobody.test");
        Assert.Equal(HttpStatusCode.NotFound, realtime.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/api/v1/realtime/visitors")).StatusCode);
    }

    [Fact]
    public async Task A_day_in_a_daylight_saving_zone_has_its_own_number_of_hours()
    {
        // 2026-10-25 is the fall-back day in Berlin: 25 hours.
        var result = await _http.QueryAsync(new
        {
            site_id = "query.test", metrics = new[] { "pageviews" }, date_range = new[] { "2026-10-25", "2026-10-25" }, dimensions = new[] { "time:hour" },
            include = new { time_labels = true },
        });

        var hours = result.GetProperty("meta").GetProperty("time_labels").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Equal(25, hours.Count);
        Assert.Equal("2026-10-25 00:00:00", hours[0]);
        Assert.Equal(2, hours.Count(h => h == "2026-10-25 02:00:00"));
        Assert.Equal(["2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"],
            result.GetProperty("query").GetProperty("date_range").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task Realtime_counts_visitors_of_the_last_minutes()
    {
        foreach (var visitor in new[] { "aaaaaaaa1", "bbbbbbbb2" })
        {
            await _http.PostEventAsync($$"""{"n":"pageview","u":"https://query.test/","d":"query.test","v":"{{visitor}}"}""");
        }

        var visitors = await Analytics.Testing.Poll.UntilAsync(
            async () => await _http.GetFromJsonAsync<long>("/api/v1/realtime/visitors?site_id=query.test"),
            n => n >= 2, TimeSpan.FromSeconds(30), "two realtime visitors");
        Assert.Equal(2, visitors);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Tests.Functional;

/// <summary>
/// Configured goals and funnels through the HTTP API, on events sent to /api/event. Four visitors (told apart by their
/// browsers): A sees / and /pricing, then signs up; B sees /pricing; C sees / and /docs/a/b; D sees /.
/// </summary>
public sealed class ConversionsApiTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>, IAsyncLifetime
{
    private const string Site = "conversions.test";
    private readonly HttpClient _http = app.CreateClient();

    public async Task InitializeAsync()
    {
        await app.RegisterAsync(Site, cookieless: true);
        foreach (var goal in new object[] { new { event_name = "Signup" }, new { page_path = "/pricing" }, new { page_path = "/docs/**" } })
        {
            var response = await _http.PostAsJsonAsync($"/api/sites/{Site}/goals", goal);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
        }

        if ((await _http.PageviewsTodayAsync(Site)) > 0)
        {
            return;
        }

        foreach (var (agent, page) in new[] { ("A", "/"), ("A", "/pricing"), ("B", "/pricing"), ("C", "/"), ("C", "/docs/a/b"), ("D", "/") })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await Send(agent, "pageview", page)).StatusCode);
        }

        // A's signup comes after its pageviews are counted: its funnel order is the order of receipt.
        await _http.WaitForPageviewsAsync(Site, 6);
        Assert.Equal(HttpStatusCode.Accepted, (await Send("A", "Signup", "/pricing")).StatusCode);
        await Poll.UntilAsync(() => _http.QueryAsync(new { site_id = Site, metrics = new[] { "events" }, date_range = "day" }), r => r.Metrics()[0] >= 7, TimeSpan.FromSeconds(30), "the signup");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> Send(string agent, string name, string page) =>
        _http.PostEventAsync($$"""{"n":"{{name}}","u":"https://{{Site}}{{page}}","d":"{{Site}}"}""", userAgent: $"{Api.Chrome} Visitor/{agent}");

    [Fact]
    public async Task Goals_break_down_with_conversion_rates_of_all_visitors()
    {
        var goals = await _http.QueryAsync(new { site_id = Site, metrics = new[] { "visitors", "events", "conversion_rate" }, date_range = "day", dimensions = new[] { "event:goal" } });

        Assert.Equal([2, 2, 50], goals.Rows()["Visit /pricing"]);
        Assert.Equal([1, 1, 25], goals.Rows()["Signup"]);
        Assert.Equal([1, 1, 25], goals.Rows()["Visit /docs/**"]);
        Assert.Equal(3, goals.Rows().Count);
    }

    [Fact]
    public async Task A_goal_filter_gives_group_conversion_rates_per_page()
    {
        // Visitors who saw /pricing and signed up, by entry page: A entered on / (of A, C, D), nobody who entered on /pricing (B).
        var result = await _http.QueryAsync(new
        {
            site_id = Site,
            metrics = new[] { "visitors", "group_conversion_rate", "conversion_rate" },
            date_range = "day",
            dimensions = new[] { "visit:entry_page" },
            filters = new object[] { new object[] { "is", "event:goal", new[] { "Signup" } } },
        });

        Assert.Equal([1, 33.3, 25], Assert.Single(result.Rows()).Value);
        Assert.Equal("/", result.GetProperty("results")[0].GetProperty("dimensions")[0].GetString());
    }

    [Fact]
    public async Task Conversion_rate_without_a_goal_is_a_400_with_Plausibles_message()
    {
        var response = await _http.PostAsJsonAsync("/api/v2/query", new { site_id = Site, metrics = new[] { "conversion_rate" }, date_range = "day" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Metric `conversion_rate` can only be queried with event:goal filters or dimensions.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_goal_filter_must_name_a_configured_goal_as_Plausible_checks()
    {
        var unconfigured = await _http.PostAsJsonAsync("/api/v2/query", new
        {
            site_id = Site,
            metrics = new[] { "visitors" },
            date_range = "day",
            filters = new object[] { new object[] { "is", "event:goal", new[] { "Signup", "Purchase" } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, unconfigured.StatusCode);
        Assert.Equal("Invalid filters. The goal `Purchase` is not configured for this site.", (await unconfigured.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        // A pattern may select no goal, and then no visitor: only `is` names goals that must exist.
        var pattern = await _http.QueryAsync(new
        {
            site_id = Site,
            metrics = new[] { "visitors" },
            date_range = "day",
            filters = new object[] { new object[] { "contains", "event:goal", new[] { "Purchase" } } },
        });
        Assert.Equal([0], pattern.Metrics());

        // Stats API v1 skips the check, as Plausible's does: the unconfigured goal converts nobody.
        var v1 = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/stats/aggregate?site_id={Site}&period=day&metrics=visitors&filters=event:goal%3D%3DPurchase");
        Assert.Equal(0, v1.GetProperty("results").GetProperty("visitors").GetProperty("value").GetDouble());
        var v1Signup = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/stats/aggregate?site_id={Site}&period=day&metrics=visitors&filters=event:goal%3D%3DSignup");
        Assert.Equal(1, v1Signup.GetProperty("results").GetProperty("visitors").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Without_configured_goals_a_site_has_no_goal_rows_and_its_custom_events_stay_event_names()
    {
        const string Bare = "nogoals.test";
        await app.RegisterAsync(Bare, cookieless: true);
        if ((await _http.PageviewsTodayAsync(Bare)) == 0)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await _http.PostEventAsync($$"""{"n":"pageview","u":"https://{{Bare}}/","d":"{{Bare}}"}""")).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await _http.PostEventAsync($$"""{"n":"Signup","u":"https://{{Bare}}/","d":"{{Bare}}"}""")).StatusCode);
        }

        var names = await Poll.UntilAsync(
            () => _http.QueryAsync(new { site_id = Bare, metrics = new[] { "visitors", "events" }, date_range = "day", dimensions = new[] { "event:name" } }),
            r => r.Rows().ContainsKey("Signup"), TimeSpan.FromSeconds(30), "the Signup event");
        Assert.Equal([1, 1], names.Rows()["Signup"]);

        var goals = await _http.QueryAsync(new { site_id = Bare, metrics = new[] { "visitors", "events" }, date_range = "day", dimensions = new[] { "event:goal" } });
        Assert.Empty(goals.Rows());
        var filtered = await _http.PostAsJsonAsync("/api/v2/query", new
        {
            site_id = Bare,
            metrics = new[] { "visitors" },
            date_range = "day",
            filters = new object[] { new object[] { "is", "event:goal", new[] { "Signup" } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, filtered.StatusCode);
        Assert.Equal("Invalid filters. The goal `Signup` is not configured for this site.", (await filtered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Exit_rate_per_exit_page()
    {
        // Exits: / by D, /pricing by B (and A's signup page), /docs/a/b by C; pageviews: / 3, /pricing 2, /docs/a/b 1.
        var result = await _http.QueryAsync(new { site_id = Site, metrics = new[] { "exit_rate" }, date_range = "day", dimensions = new[] { "visit:exit_page" } });

        Assert.Equal([33.3], result.Rows()["/"]);
        Assert.Equal([100], result.Rows()["/pricing"]);
        Assert.Equal([100], result.Rows()["/docs/a/b"]);
    }

    [Fact]
    public async Task Exit_rate_per_page()
    {
        // By page: exits from the page over its pageviews, the same numbers as by exit page; pages keep their pageviews.
        var result = await _http.QueryAsync(new { site_id = Site, metrics = new[] { "exit_rate", "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } });

        Assert.Equal([33.3, 3], result.Rows()["/"]);
        Assert.Equal([100, 2], result.Rows()["/pricing"]);
        Assert.Equal([100, 1], result.Rows()["/docs/a/b"]);
    }

    [Fact]
    public async Task A_funnel_is_created_computed_and_deleted()
    {
        var created = await _http.PostAsJsonAsync($"/api/sites/{Site}/funnels", new { name = "Pricing to signup", steps = new object[] { "Visit /pricing", "Signup" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var funnel = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = funnel.GetProperty("id").GetInt64();
        Assert.Equal(["Visit /pricing", "Signup"], funnel.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("label").GetString()!).ToArray());
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Conflict,
            await _http.PostAsJsonAsync($"/api/sites/{Site}/funnels", new { name = "Pricing to signup", steps = new object[] { "Visit /pricing", "Visit /docs/**" } }));

        var report = await _http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/funnels/{id}?period=day");

        Assert.Equal((4, 2, 50.0, 2), (report.GetProperty("all_visitors").GetInt64(), report.GetProperty("entering_visitors").GetInt64(),
            report.GetProperty("entering_visitors_percentage").GetDouble(), report.GetProperty("never_entering_visitors").GetInt64()));
        var steps = report.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal((2, 100.0, 0, 0.0), Step(steps[0]));
        Assert.Equal((1, 50.0, 1, 50.0), Step(steps[1]));

        // Filters narrow who is counted: B and C browsed without signing up... C never saw /pricing.
        var filtered = await _http.GetFromJsonAsync<JsonElement>(
            $"/api/sites/{Site}/funnels/{id}?period=day&filters={Uri.EscapeDataString("""[["is","visit:entry_page",["/pricing"]]]""")}");
        Assert.Equal((1, 1), (filtered.GetProperty("all_visitors").GetInt64(), filtered.GetProperty("steps")[0].GetProperty("visitors").GetInt64()));

        Assert.Contains(id, (await _http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/funnels")).EnumerateArray().Select(f => f.GetProperty("id").GetInt64()));
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/api/sites/{Site}/funnels/{id}")).StatusCode);
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.NotFound, await _http.GetAsync($"/api/sites/{Site}/funnels/{id}?period=day"));
    }

    [Theory]
    [InlineData("""{"name":"x","steps":["Signup"]}""", "2 to 8 steps")]
    [InlineData("""{"name":"x","steps":["Signup","Nope"]}""", "names no goal")]
    [InlineData("""{"name":"x","steps":["Signup","Signup"]}""", "a step twice")]
    [InlineData("""{"name":"","steps":["Signup","Visit /pricing"]}""", "name must be")]
    [InlineData("""{"steps":[1,2]}""", "The body is")]
    [InlineData("""[1]""", "The body is")]
    public async Task A_bad_funnel_is_a_400_saying_what_to_change(string body, string expected)
    {
        using var response = await _http.PostAsync($"/api/sites/{Site}/funnels", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_period_or_filter_for_a_funnel_is_a_400()
    {
        var created = await _http.PostAsJsonAsync($"/api/sites/{Site}/funnels", new { name = "Bad periods", steps = new object[] { "Visit /docs/**", "Signup" } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.BadRequest, await _http.GetAsync($"/api/sites/{Site}/funnels/{id}?period=fortnight"));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.BadRequest, await _http.GetAsync($"/api/sites/{Site}/funnels/{id}?filters=%5B%5B"));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.BadRequest, await _http.GetAsync($"/api/sites/{Site}/funnels/{id}?from=2026-01-01"));
    }

    private static (long, double, long, double) Step(JsonElement step) =>
        (step.GetProperty("visitors").GetInt64(), step.GetProperty("conversion_rate").GetDouble(), step.GetProperty("dropoff").GetInt64(), step.GetProperty("dropoff_percentage").GetDouble());
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Tests.Functional;

public sealed class EventsApiTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>, IAsyncLifetime
{
    private readonly HttpClient _http = app.CreateClient();

    public async Task InitializeAsync()
    {
        await app.RegisterAsync("events.test");
        await app.RegisterAsync("compact.test");
        await app.RegisterAsync("drops.test");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailFragment)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailFragment, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_Plausible_events_api_body_is_accepted_and_counted()
    {
        var response = await _http.PostEventAsync("""
            {"name":"pageview","url":"https://events.test/pricing?utm_source=newsletter&utm_campaign=launch","domain":"events.test","referrer":"https://www.google.com/search?q=x"}
            """);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Drop-Reason"));

        await _http.WaitForPageviewsAsync("events.test", 1);
        var pages = await _http.QueryAsync(new { site_id = "events.test", metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } });
        Assert.Equal([1], pages.Rows()["/pricing"]);
        var sources = await _http.QueryAsync(new { site_id = "events.test", metrics = new[] { "visits" }, date_range = "day", dimensions = new[] { "visit:source" } });
        Assert.Equal([1], sources.Rows()["newsletter"]);
        var browsers = await _http.QueryAsync(new { site_id = "events.test", metrics = new[] { "visitors" }, date_range = "day", dimensions = new[] { "visit:browser" } });
        Assert.Equal([1], browsers.Rows()["Chrome"]);
    }

    [Fact]
    public async Task The_tracker_compact_text_plain_body_with_props_as_a_string_is_accepted()
    {
        var pageview = await _http.PostEventAsync("""{"n":"pageview","u":"https://compact.test/","d":"compact.test","r":null,"w":390,"v":"a1b2c3d4e5f6a7b8"}""", contentType: "text/plain");
        var signup = await _http.PostEventAsync("""{"n":"Signup","u":"https://compact.test/","d":"compact.test","p":"{\"plan\":\"pro\"}","v":"a1b2c3d4e5f6a7b8"}""", contentType: "text/plain");
        Assert.Equal(HttpStatusCode.Accepted, pageview.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);

        await _http.WaitForPageviewsAsync("compact.test", 1);
        var goals = await Analytics.Testing.Poll.UntilAsync(
            () => _http.QueryAsync(new { site_id = "compact.test", metrics = new[] { "events", "visitors" }, date_range = "day", dimensions = new[] { "event:name" } }),
            r => r.Rows().ContainsKey("Signup"), TimeSpan.FromSeconds(30), "the Signup event");
        Assert.Equal([1, 1], goals.Rows()["Signup"]);
        var screens = await _http.QueryAsync(new { site_id = "compact.test", metrics = new[] { "visitors" }, date_range = "day", dimensions = new[] { "visit:screen" } });
        Assert.Equal([1], screens.Rows()["Mobile"]);
    }

    [Theory]
    [InlineData("{\"name\":\"pageview\"", "not valid JSON")]
    [InlineData("[1,2,3]", "JSON object")]
    [InlineData("{\"name\":\"pageview\",\"domain\":\"events.test\"}", "'url' (u) is required")]
    [InlineData("{\"name\":\"pageview\",\"url\":42,\"domain\":\"events.test\"}", "'url' (u) is required")]
    [InlineData("{\"n\":\"engagement\",\"u\":\"https://events.test/\",\"d\":\"events.test\",\"v\":36}", "'sd' or 'e'")]
    [InlineData("", "not valid JSON")]
    public async Task Malformed_bodies_get_400_problem_details(string body, string detail)
    {
        await AssertProblemAsync(await _http.PostEventAsync(body), HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Oversized_bodies_get_413_problem_details()
    {
        var huge = "{\"n\":\"pageview\",\"u\":\"https://events.test/\",\"d\":\"events.test\",\"p\":{\"x\":\"" + new string('a', 5000) + "\"}}";
        await AssertProblemAsync(await _http.PostEventAsync(huge), HttpStatusCode.RequestEntityTooLarge, "at most 4096 bytes");
    }

    [Theory]
    [InlineData("{\"n\":\"pageview\",\"u\":\"https://nobody.test/\",\"d\":\"nobody.test\"}", Api.Chrome, "unknown_site")]
    [InlineData("{\"n\":\"pageview\",\"u\":\"https://drops.test/\",\"d\":\"drops.test\"}", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot")]
    [InlineData("{\"n\":\"pageview\",\"u\":\"https://drops.test/\",\"d\":\"drops.test\"}", "curl/8.5.0", "bot")]
    [InlineData("{\"n\":\"pageview\",\"u\":\"javascript:alert(1)\",\"d\":\"drops.test\"}", Api.Chrome, "invalid_url")]
    [InlineData("{\"n\":\"pageview\",\"u\":\"/relative\",\"d\":\"drops.test\"}", Api.Chrome, "invalid_url")]
    public async Task Dropped_events_get_202_with_the_reason_and_count_nothing(string body, string userAgent, string reason)
    {
        var response = await _http.PostEventAsync(body, userAgent);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(reason, Assert.Single(response.Headers.GetValues("X-Drop-Reason")));
        Assert.Equal(0, await _http.PageviewsTodayAsync("drops.test"));
    }

    [Fact]
    public async Task Browsers_may_post_cross_origin()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/event");
        preflight.Headers.Add("Origin", "https://events.test");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        var response = await _http.SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }
}

using System.Net;
using Analytics.Testing;

namespace Analytics.Tests.Functional;

/// <summary>
/// /api/event as Plausible's current tracker speaks it: bodies shaped exactly as @plausible-analytics/tracker 0.4.6 sends
/// them ("v" = its script version, engagement with "e" and "sd"), several domains in "d", odd fields Plausible ignores.
/// The same tracker runs unchanged in Chromium in Analytics.Browser.Tests (PlausibleTrackerTests).
/// </summary>
public sealed class PlausibleEventsApiTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>, IAsyncLifetime
{
    private readonly HttpClient _http = app.CreateClient();

    public async Task InitializeAsync()
    {
        foreach (var site in new[] { "npm.test", "multi-a.test", "multi-b.test", "odd.test", "cookies.test" })
        {
            await app.RegisterAsync(site);
        }

        await app.RegisterAsync("nocookies.test", cookieless: true);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Plausibles_tracker_bodies_are_counted_and_events_are_pageviews_plus_custom_events()
    {
        string[] bodies =
        [
            """{"n":"pageview","v":36,"u":"https://npm.test/pricing","d":"npm.test","r":null}""",
            """{"n":"Signup","v":36,"u":"https://npm.test/pricing","d":"npm.test","r":null,"p":{"plan":"pro"},"$":{"amount":"19.90","currency":"EUR"}}""",
            """{"n":"Autoplay","v":36,"u":"https://npm.test/pricing","d":"npm.test","r":null,"i":false}""",
            """{"n":"engagement","sd":64,"d":"npm.test","u":"https://npm.test/pricing","p":{},"e":4100,"v":36}""",
        ];
        foreach (var body in bodies)
        {
            var response = await _http.PostEventAsync(body, contentType: "text/plain");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            // Plausible's own answer, which its tracker ignores but other senders log.
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.ToString());
            Assert.Equal(2, response.Content.Headers.ContentLength);
            Assert.False(response.Headers.Contains("X-Drop-Reason"), body);
            Assert.False(response.Headers.Contains("X-Visitor-Cookie"), "Plausible's integer v is no cookie id");
        }

        var totals = await Poll.UntilAsync(
            () => _http.QueryAsync(new { site_id = "npm.test", metrics = new[] { "visitors", "pageviews", "events" }, date_range = "day" }),
            r => r.Metrics() is [_, _, >= 3], TimeSpan.FromSeconds(30), "the pageview and 2 custom events");
        Assert.Equal([1, 1, 3], totals.Metrics());
        var goals = await _http.QueryAsync(new { site_id = "npm.test", metrics = new[] { "events" }, date_range = "day", dimensions = new[] { "event:name" } });
        Assert.Equal(new Dictionary<string, double[]> { ["Signup"] = [1], ["Autoplay"] = [1] }, goals.Rows());

        // The engagement feeds its page: 4.1 s engaged for one visitor, 64 % scrolled.
        var pages = await Poll.UntilAsync(
            () => _http.QueryAsync(new { site_id = "npm.test", metrics = new[] { "pageviews", "time_on_page", "scroll_depth" }, date_range = "day", dimensions = new[] { "event:page" } }),
            r => r.Rows().TryGetValue("/pricing", out var row) && row[2] > 0, TimeSpan.FromSeconds(30), "the engagement on /pricing");
        Assert.Equal([1, 4, 64], pages.Rows()["/pricing"]);
    }

    [Fact]
    public async Task A_comma_separated_domain_counts_for_each_registered_site()
    {
        var response = await _http.PostEventAsync("""{"n":"pageview","v":36,"u":"https://multi-a.test/","d":"multi-a.test, www.multi-b.test,unknown.test","r":null}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Drop-Reason"));
        Assert.Equal(1, await _http.WaitForPageviewsAsync("multi-a.test", 1));
        Assert.Equal(1, await _http.WaitForPageviewsAsync("multi-b.test", 1));
    }

    [Theory]
    [InlineData("""{"n":404,"u":"https://odd.test/missing","d":"odd.test","v":36}""", "404")]
    [InlineData("""{"n":"Odd fields","u":"https://odd.test/","d":"odd.test","v":"3.x","h":"yes","i":"no","p":"{broken","$":{"amount":"lots"},"future_key":[1,{"x":2}]}""", "Odd fields")]
    [InlineData("""{"n":"Legacy meta","u":"https://odd.test/","d":"odd.test","m":"{\"old\":\"yes\"}","w":"wide","r":7}""", "Legacy meta")]
    public async Task Odd_fields_are_ignored_as_plausible_ignores_them_and_the_event_counts(string body, string goal)
    {
        var response = await _http.PostEventAsync(body, contentType: "text/plain");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Drop-Reason"));
        await Poll.UntilAsync(
            () => _http.QueryAsync(new { site_id = "odd.test", metrics = new[] { "events" }, date_range = "day", dimensions = new[] { "event:name" } }),
            r => r.Rows().ContainsKey(goal), TimeSpan.FromSeconds(30), $"the '{goal}' event");
    }

    [Fact]
    public async Task Our_trackers_id_is_kept_as_a_cookie_only_where_the_site_uses_cookies()
    {
        const string Id = "0123456789abcdef";

        var withCookies = await _http.PostEventAsync($$"""{"n":"pageview","u":"https://cookies.test/","d":"cookies.test","vid":"{{Id}}"}""", contentType: "text/plain");
        var cookieless = await _http.PostEventAsync($$"""{"n":"pageview","u":"https://nocookies.test/","d":"nocookies.test","vid":"{{Id}}"}""", contentType: "text/plain");
        var legacy = await _http.PostEventAsync($$"""{"n":"pageview","u":"https://cookies.test/b","d":"cookies.test","v":"{{Id}}"}""", contentType: "text/plain");

        Assert.Equal("1", Assert.Single(withCookies.Headers.GetValues("X-Visitor-Cookie")));
        Assert.False(cookieless.Headers.Contains("X-Visitor-Cookie"));
        Assert.Equal("1", Assert.Single(legacy.Headers.GetValues("X-Visitor-Cookie")));
        await _http.WaitForPageviewsAsync("cookies.test", 2);
        var visitors = await _http.QueryAsync(new { site_id = "cookies.test", metrics = new[] { "visitors" }, date_range = "day" });
        Assert.Equal([1], visitors.Metrics());
    }
}

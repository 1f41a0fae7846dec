using System.Net;
using System.Text;
using Analytics.Testing;
using Analytics.Tests.Functional;

namespace Analytics.Tests.Ga4;

/// <summary>
/// GA4's web tag protocol as gtag.js sends it to a server container (transport_url / server_container_url): the shared
/// parameters in the query string, one event per body line, posted with text/plain as a beacon or keepalive fetch.
/// </summary>
public sealed class GtagCollectTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    private const string Origin = "https://gtag.test";
    private readonly HttpClient _http = app.CreateClient();
    private readonly HttpClient _browser = app.CreateAnonymousClient();

    /// <summary>The shared parameters gtag.js 2024+ puts on every request (Linux Chrome, first visit, consent defaults).</summary>
    private static string SharedQuery(string measurementId, string clientId, string sessionId) =>
        $"v=2&tid={measurementId}&gtm=45je4bk0v9&_p=1733100000123&gcd=13l3l3l3l1l1&npa=0&dma=0&cid={clientId}&ul=en-us&sr=1920x1080"
        + "&uaa=x86&uab=64&uafvl=Google%2520Chrome%3B131.0.6778.85&uamb=0&uam=&uap=Linux&uapv=6.5.0&uaw=0&are=1&frm=0&pscdl=noapi"
        + $"&_s=1&sid={sessionId}&sct=1&seg=0&dl=https%3A%2F%2Fgtag.test%2Fpricing%3Futm_source%3Dnewsletter&dr=https%3A%2F%2Fwww.google.com%2F&dt=Pricing";

    private Task<HttpResponseMessage> SendAsync(string query, string body = "", string method = "POST")
    {
        var request = new HttpRequestMessage(new HttpMethod(method), "/g/collect?" + query);
        if (method == "POST")
        {
            // gtag.js posts its batch as a beacon: text/plain, no preflight.
            request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        }

        request.Headers.TryAddWithoutValidation("User-Agent", Api.Chrome);
        request.Headers.TryAddWithoutValidation("Origin", Origin);
        return _browser.SendAsync(request);
    }

    [Fact]
    public async Task A_page_view_and_a_batch_of_events_are_counted_as_a_server_container_would_receive_them()
    {
        await app.RegisterSiteAsync("gtag.test", "G-GTAG12345");
        var shared = SharedQuery("G-GTAG12345", "1234567890.1733100000", "1733100000");

        // The page_view of the page load: everything in the query string, an empty body.
        var pageView = await SendAsync(shared + "&en=page_view&_fv=1&_nsi=1&_ss=1&tfd=1234");
        // A later batch: shared parameters in the URL, one event per line.
        var batch = await SendAsync(shared.Replace("_s=1", "_s=2", StringComparison.Ordinal), string.Join("\r\n",
            "en=scroll&epn.percent_scrolled=90&_et=5012&tfd=6120",
            "en=sign_up&ep.method=Google&epn.plan_price=9.5&_et=1200&tfd=7400",
            "en=purchase&epn.value=19.99&cu=EUR&ep.transaction_id=T_1&_et=10&tfd=7500",
            "en=user_engagement&_et=15000&tfd=22500"));

        foreach (var response in new[] { pageView, batch })
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.False(response.Headers.Contains("X-Drop-Reason"));
            Assert.Equal(Origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
            Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
        }

        await _http.WaitForPageviewsAsync("gtag.test", 1);
        var goals = await Poll.UntilAsync(() => _http.CustomEventsTodayAsync("gtag.test"), g => g.Count == 3, TimeSpan.FromSeconds(30), "three goals");
        Assert.Equal(new Dictionary<string, double> { ["scroll"] = 1, ["sign_up"] = 1, ["purchase"] = 1 }, goals);
        Assert.Equal(1, await _http.PageviewsTodayAsync("gtag.test"));
        Assert.Equal(1, await _http.MetricTodayAsync("gtag.test", "visitors"));
        Assert.Equal(1, await _http.MetricTodayAsync("gtag.test", "visits"));
        Assert.Equal(0, await _http.MetricTodayAsync("gtag.test", "bounce_rate"));
        Assert.Equal(1, await RowAsync(new { site_id = "gtag.test", metrics = new[] { "visits" }, date_range = "day", dimensions = new[] { "visit:source" } }, "newsletter"));
        Assert.Equal(1, await RowAsync(new { site_id = "gtag.test", metrics = new[] { "visitors" }, date_range = "day", dimensions = new[] { "visit:screen" } }, "Desktop"));
        Assert.Equal(1, await RowAsync(new { site_id = "gtag.test", metrics = new[] { "visitors" }, date_range = "day", dimensions = new[] { "visit:browser" } }, "Chrome"));
        Assert.Equal(1, await RowAsync(new { site_id = "gtag.test", metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } }, "/pricing"));

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var events = await Poll.UntilAsync(() => _http.GetCsvAsync("gtag.test", "events.csv", $"from={today}&to={today}"), r => r.Count == 6, TimeSpan.FromSeconds(30), "five exported events");
        var byName = events.Skip(1).ToDictionary(r => r[Array.IndexOf(events[0], "name")], r => events[0].Zip(r).ToDictionary(p => p.First, p => p.Second));
        Assert.Equal(("19.99", "EUR"), (byName["purchase"]["revenue_amount"], byName["purchase"]["revenue_currency"]));
        Assert.Equal("15000", byName["engagement"]["engagement_ms"]);
        Assert.Contains("\"method\":\"Google\"", byName["sign_up"]["props"], StringComparison.Ordinal);
        Assert.Contains("\"plan_price\":\"9.5\"", byName["sign_up"]["props"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_user_s_uid_user_properties_and_items_are_kept_as_gtag_sends_them()
    {
        await app.RegisterSiteAsync("gtag-user.test", "G-GTAGUSER1");
        // gtag('config', …, {user_id: 'U-7'}) adds uid; gtag('set', 'user_properties', {plan: 'pro'}) adds up.plan.
        var desktop = SharedQuery("G-GTAGUSER1", "100.1", "1733100001").Replace("dl=https%3A%2F%2Fgtag.test", "dl=https%3A%2F%2Fgtag-user.test", StringComparison.Ordinal)
            + "&uid=U-7&up.plan=pro&upn.seats=3";
        var phone = SharedQuery("G-GTAGUSER1", "200.2", "1733100002").Replace("dl=https%3A%2F%2Fgtag.test", "dl=https%3A%2F%2Fgtag-user.test", StringComparison.Ordinal)
            + "&uid=U-7&up.plan=pro&upn.seats=3";
        Assert.False((await SendAsync(desktop + "&en=page_view")).Headers.Contains("X-Drop-Reason"));
        Assert.False((await SendAsync(phone + "&en=page_view")).Headers.Contains("X-Drop-Reason"));
        // An ecommerce event's items, as gtag.js encodes them (pr1, pr2: "~"-separated two-letter fields).
        Assert.False((await SendAsync(phone, "en=add_to_cart&cu=USD&epn.value=30.03&pr1=idSKU_12345~nmStan%20and%20Friends%20Tee~qt3~pr10.01&pr2=idSKU_12346~nmGoogle%20Grey%20Women%27s%20Tee~qt1")).Headers.Contains("X-Drop-Reason"));

        await _http.WaitForPageviewsAsync("gtag-user.test", 2);
        await Poll.UntilAsync(() => _http.CustomEventsTodayAsync("gtag-user.test"), g => g.ContainsKey("add_to_cart"), TimeSpan.FromSeconds(30), "the add_to_cart goal");
        Assert.Equal(1, await _http.MetricTodayAsync("gtag-user.test", "visitors"));
        Assert.Equal(2, await RowAsync(new { site_id = "gtag-user.test", metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:props:plan" } }, "pro"));
        Assert.Equal(1, await RowAsync(new { site_id = "gtag-user.test", metrics = new[] { "events" }, date_range = "day", dimensions = new[] { "event:props:item_names" } },
            "Stan and Friends Tee, Google Grey Women's Tee"));
        Assert.Equal(1, await RowAsync(new { site_id = "gtag-user.test", metrics = new[] { "events" }, date_range = "day", dimensions = new[] { "event:props:item_ids" } }, "SKU_12345, SKU_12346"));
    }

    private async Task<double> RowAsync(object query, string value) => (await _http.QueryAsync(query)).Rows()[value][0];

    [Fact]
    public async Task Unknown_measurement_ids_bots_and_malformed_hits_get_204_and_count_nothing()
    {
        await app.RegisterSiteAsync("gtag-drops.test", "G-GTAGDROPS");
        var shared = SharedQuery("G-GTAGDROPS", "555.666", "1733100000");

        var unknown = await SendAsync(SharedQuery("G-NOBODY999", "555.666", "1") + "&en=page_view");
        var noVersion = await SendAsync(shared.Replace("v=2&", "v=1&", StringComparison.Ordinal) + "&en=page_view");
        var noClient = await SendAsync(shared.Replace("cid=555.666", "cid=", StringComparison.Ordinal) + "&en=page_view");
        var badName = await SendAsync(shared + "&en=_bad%20name");
        var request = new HttpRequestMessage(HttpMethod.Post, "/g/collect?" + shared + "&en=page_view") { Content = new StringContent("") };
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        var bot = await _browser.SendAsync(request);

        Assert.All(new[] { unknown, noVersion, noClient, badName, bot }, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal("unknown_site", Assert.Single(unknown.Headers.GetValues("X-Drop-Reason")));
        Assert.Equal("invalid_payload", Assert.Single(noVersion.Headers.GetValues("X-Drop-Reason")));
        Assert.Equal("invalid_payload", Assert.Single(noClient.Headers.GetValues("X-Drop-Reason")));
        Assert.Equal("invalid_payload", Assert.Single(badName.Headers.GetValues("X-Drop-Reason")));
        Assert.Equal("bot", Assert.Single(bot.Headers.GetValues("X-Drop-Reason")));

        // A GET hit (gtag.js falls back to an image request) is counted; the drops before it were not.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(shared + "&en=page_view", method: "GET")).StatusCode);
        await _http.WaitForPageviewsAsync("gtag-drops.test", 1);
        Assert.Equal(1, await _http.PageviewsTodayAsync("gtag-drops.test"));
    }

    [Fact]
    public async Task A_preflight_from_any_origin_is_allowed_with_credentials()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/g/collect?v=2");
        preflight.Headers.Add("Origin", Origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        var response = await _browser.SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal(Origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
    }
}

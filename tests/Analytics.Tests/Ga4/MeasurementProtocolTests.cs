using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Testing;
using Analytics.Tests.Functional;

namespace Analytics.Tests.Ga4;

/// <summary>
/// GA4's Measurement Protocol against the embedded host, with payloads from Google's documentation (developers.google.com/
/// analytics/devguides/collection/protocol/ga4 and its ecommerce guide), read back through the Stats API v2 and the export.
/// </summary>
public sealed class MeasurementProtocolTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = app.CreateClient();
    private readonly HttpClient _sender = app.CreateAnonymousClient();

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string PageView(string clientId, string path) => $$$"""
        {"client_id":"{{{clientId}}}","events":[{"name":"page_view","params":{"page_location":"https://{{{path}}}","page_referrer":"https://www.google.com/","page_title":"Pricing","session_id":"1733100000","engagement_time_msec":"100"}}]}
        """;

    /// <summary>Google's purchase example (ecommerce guide), with its one item.</summary>
    private const string Purchase = """
        {"client_id":"123456.7654321","events":[{"name":"purchase","params":{"currency":"USD","value":30.03,"transaction_id":"T_12345","coupon":"SUMMER_FUN","shipping":3.33,"tax":1.11,
          "items":[{"item_id":"SKU_12345","item_name":"Stan and Friends Tee","affiliation":"Google Merchandise Store","coupon":"SUMMER_FUN","discount":2.22,"index":0,
            "item_brand":"Google","item_category":"Apparel","item_category2":"Adult","item_category3":"Shirts","item_category4":"Crew","item_category5":"Short sleeve",
            "item_list_id":"related_products","item_list_name":"Related Products","item_variant":"green","location_id":"ChIJIQBpAG2ahYAR_6128GcTUEo","price":10.01,"quantity":3}]}}]}
        """;

    [Fact]
    public async Task A_page_view_and_a_purchase_are_counted_with_their_page_source_and_revenue()
    {
        var stream = await app.RegisterStreamAsync("mp-shop.test", "G-MPSHOP01");

        var pageView = await _sender.PostMpAsync(stream, PageView("123456.7654321", "mp-shop.test/pricing?utm_source=newsletter&utm_content=banner&utm_term=tees"));
        var purchase = await _sender.PostMpAsync(stream, Purchase);
        var tutorial = await _sender.PostMpAsync(stream, """
            {"client_id":"123456.7654321","user_location":{"city":"Mountain View","region_id":"US-CA","country_id":"US"},"events":[{"name":"tutorial_begin","params":{"session_id":"1733100000"}}]}
            """);

        foreach (var response in new[] { pageView, purchase, tutorial })
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.False(response.Headers.Contains("X-Drop-Reason"), string.Join(",", response.Headers.Select(h => h.Key)));
        }

        await _http.WaitForPageviewsAsync(stream.Domain, 1);
        var goals = await Poll.UntilAsync(() => _http.CustomEventsTodayAsync(stream.Domain), g => g.Count == 2, Wait, "the purchase and tutorial_begin goals");
        Assert.Equal(1, goals["purchase"]);
        Assert.Equal(1, goals["tutorial_begin"]);
        var pages = await _http.QueryAsync(new { site_id = stream.Domain, metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } });
        Assert.Equal([1], pages.Rows()["/pricing"]);
        var sources = await _http.QueryAsync(new { site_id = stream.Domain, metrics = new[] { "visits" }, date_range = "day", dimensions = new[] { "visit:source" } });
        Assert.Equal([1], sources.Rows()["newsletter"]);
        // One client id: one visitor, one session (the same session_id).
        Assert.Equal(1, await _http.MetricTodayAsync(stream.Domain, "visitors"));
        Assert.Equal(1, await _http.MetricTodayAsync(stream.Domain, "visits"));

        var events = await Poll.UntilAsync(() => _http.GetCsvAsync(stream.Domain, "events.csv", $"from={Today}&to={Today}"), rows => rows.Count == 4, Wait, "three exported events");
        var byName = events.Skip(1).ToDictionary(r => r[Array.IndexOf(events[0], "name")], r => events[0].Zip(r).ToDictionary(p => p.First, p => p.Second));
        Assert.Equal(("30.03", "USD"), (byName["purchase"]["revenue_amount"], byName["purchase"]["revenue_currency"]));
        Assert.Contains("\"transaction_id\":\"T_12345\"", byName["purchase"]["props"], StringComparison.Ordinal);
        // The items, summed up as props (the rest of each item is not kept).
        Assert.Contains("\"item_count\":\"1\"", byName["purchase"]["props"], StringComparison.Ordinal);
        Assert.Contains("\"item_ids\":\"SKU_12345\"", byName["purchase"]["props"], StringComparison.Ordinal);
        Assert.Contains("\"item_names\":\"Stan and Friends Tee\"", byName["purchase"]["props"], StringComparison.Ordinal);
        Assert.DoesNotContain("item_brand", byName["purchase"]["props"], StringComparison.Ordinal);
        Assert.Contains("\"page_title\":\"Pricing\"", byName["pageview"]["props"], StringComparison.Ordinal);
        Assert.Equal(("banner", "tees"), (byName["pageview"]["utm_content"], byName["pageview"]["utm_term"]));
        // The location the sender named: its region stands, its city (a name, not a GeoNames id) is not kept.
        Assert.Equal(("US", "US-CA", ""), (byName["tutorial_begin"]["country"], byName["tutorial_begin"]["region"], byName["tutorial_begin"]["city"]));
        // The client id is a keyed hash: the same for every event, and nowhere in plain text.
        Assert.Single(byName.Values.Select(e => e["visitor_id"]).Distinct());
        Assert.StartsWith("g:", byName["purchase"]["visitor_id"], StringComparison.Ordinal);
        Assert.DoesNotContain("7654321", byName["purchase"]["visitor_id"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_id_is_one_visitor_across_client_ids_and_items_and_user_properties_are_queryable_props()
    {
        var stream = await app.RegisterStreamAsync("mp-user.test", "G-MPUSER001");

        // Google's user_id and user_properties examples: one signed-in user on two devices, and an anonymous third.
        var phone = await _sender.PostMpAsync(stream, """
            {"client_id":"111.111","user_id":"XXX","user_properties":{"customer_tier":{"value":"premium"}},"events":[{"name":"page_view","params":{"page_location":"https://mp-user.test/a"}}]}
            """);
        var laptop = await _sender.PostMpAsync(stream, """
            {"client_id":"222.222","user_id":"XXX","user_properties":{"customer_tier":{"value":"premium"}},"events":[{"name":"page_view","params":{"page_location":"https://mp-user.test/b"}}]}
            """);
        // The ecommerce guide's add_to_cart, with two items, from a visitor without a user id.
        var cart = await _sender.PostMpAsync(stream, """
            {"client_id":"333.333","events":[{"name":"page_view","params":{"page_location":"https://mp-user.test/c"}},
              {"name":"add_to_cart","params":{"currency":"USD","value":30.03,"items":[
                {"item_id":"SKU_12345","item_name":"Stan and Friends Tee","price":10.01,"quantity":3},
                {"item_id":"SKU_12346","item_name":"Google Grey Women's Tee","price":21.01,"quantity":1}]}}]}
            """);
        Assert.All(new[] { phone, laptop, cart }, r => Assert.False(r.Headers.Contains("X-Drop-Reason")));

        await _http.WaitForPageviewsAsync(stream.Domain, 3);
        Assert.Equal(2, await _http.MetricTodayAsync(stream.Domain, "visitors"));
        var tiers = await _http.QueryAsync(new { site_id = stream.Domain, metrics = new[] { "visitors", "pageviews" }, date_range = "day", dimensions = new[] { "event:props:customer_tier" } });
        Assert.Equal([1, 2], tiers.Rows()["premium"]);
        await Poll.UntilAsync(() => _http.CustomEventsTodayAsync(stream.Domain), g => g.ContainsKey("add_to_cart"), Wait, "the add_to_cart goal");
        var items = await _http.QueryAsync(new
        {
            site_id = stream.Domain, metrics = new[] { "events" }, date_range = "day", dimensions = new[] { "event:props:item_count" },
            filters = new object[] { new object[] { "contains", "event:props:item_ids", new[] { "SKU_12346" } } },
        });
        Assert.Equal([1], Assert.Single(items.Rows(), r => r.Key == "2").Value);
    }

    [Fact]
    public async Task A_wrong_or_revoked_secret_or_an_unknown_measurement_id_counts_nothing()
    {
        var stream = await app.RegisterStreamAsync("mp-secret.test", "G-MPSECRET1");
        var other = await app.RegisterStreamAsync("mp-other.test", "G-MPOTHER01");

        var wrong = await _sender.PostMpAsync(stream, PageView("1.1", "mp-secret.test/wrong"), secret: "not-the-secret");
        var othersSecret = await _sender.PostMpAsync(stream, PageView("1.2", "mp-secret.test/other"), secret: other.ApiSecret);
        var unknown = await _sender.PostMpAsync(stream with { MeasurementId = "G-NOBODY123" }, PageView("1.3", "mp-secret.test/unknown"));
        Assert.All(new[] { wrong, othersSecret, unknown }, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal("invalid_api_secret", Assert.Single(wrong.Headers.GetValues("X-Drop-Reason")));
        Assert.Equal("invalid_api_secret", Assert.Single(othersSecret.Headers.GetValues("X-Drop-Reason")));
        Assert.Equal("unknown_site", Assert.Single(unknown.Headers.GetValues("X-Drop-Reason")));

        // The right secret counts until it is revoked; afterwards the same request counts nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await _sender.PostMpAsync(stream, PageView("1.4", "mp-secret.test/live"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/api/sites/{stream.Domain}/mp-secrets/{stream.SecretId}")).StatusCode);
        var revoked = await _sender.PostMpAsync(stream, PageView("1.5", "mp-secret.test/revoked"));
        Assert.Equal("invalid_api_secret", Assert.Single(revoked.Headers.GetValues("X-Drop-Reason")));

        // A later good event (a new secret) is counted, so the dropped ones would have been by now.
        var fresh = await _http.PostAsJsonAsync($"/api/sites/{stream.Domain}/mp-secrets", new { name = "rotated" });
        var secret = (await fresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("api_secret").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await _sender.PostMpAsync(stream, PageView("1.6", "mp-secret.test/after"), secret)).StatusCode);
        await _http.WaitForPageviewsAsync(stream.Domain, 2);
        var pages = await _http.QueryAsync(new { site_id = stream.Domain, metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } });
        Assert.Equal(["/after", "/live"], pages.Rows().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, await _http.PageviewsTodayAsync(other.Domain));
    }

    [Fact]
    public async Task The_validation_server_answers_google_s_messages_and_counts_nothing()
    {
        var stream = await app.RegisterStreamAsync("mp-debug.test", "G-MPDEBUG01");

        Assert.Empty(await _sender.ValidateAsync(stream, Purchase));
        Assert.Empty(await _sender.ValidateAsync(stream, PageView("2.1", "mp-debug.test/")));

        // Google's own example of an invalid event.
        var invalid = Assert.Single(await _sender.ValidateAsync(stream, """{"client_id":"2.2","events":[{"name":"_badEventName","params":{}}]}"""));
        Assert.Equal(("events", "NAME_INVALID"), (invalid.Path, invalid.Code));
        Assert.StartsWith("Event at index: [0] has invalid name [_badEventName].", invalid.Description, StringComparison.Ordinal);

        Assert.Equal(("events", "NAME_RESERVED"), Only(await _sender.ValidateAsync(stream, """{"client_id":"2.3","events":[{"name":"session_start"}]}""")));
        Assert.Equal(("events", "NAME_RESERVED"), Only(await _sender.ValidateAsync(stream, """{"client_id":"2.3","events":[{"name":"google_thing"}]}""")));
        Assert.Equal(("events.params", "NAME_RESERVED"), Only(await _sender.ValidateAsync(stream, """{"client_id":"2.3","events":[{"name":"signup","params":{"firebase_conversion":1}}]}""")));
        Assert.Equal(("events.params", "NAME_RESERVED"), Only(await _sender.ValidateAsync(stream, """{"client_id":"2.3","events":[{"name":"signup","params":{"ga_campaign":"x"}}]}""")));
        Assert.Equal(("client_id", "VALUE_REQUIRED"), Only(await _sender.ValidateAsync(stream, """{"events":[{"name":"signup"}]}""")));
        Assert.Equal(("events", "VALUE_REQUIRED"), Only(await _sender.ValidateAsync(stream, """{"client_id":"2.3"}""")));
        Assert.Equal(("events", "VALUE_OUT_OF_BOUNDS"), Only(await _sender.ValidateAsync(stream, $$"""{"client_id":"2.3","events":[{"name":"{{new string('a', 41)}}"}]}""")));
        Assert.Equal(("events.params", "VALUE_OUT_OF_BOUNDS"), Only(await _sender.ValidateAsync(stream, $$$"""{"client_id":"2.3","events":[{"name":"signup","params":{"plan":"{{{new string('p', 101)}}}"}}]}""")));
        Assert.Equal(("events.params", "NAME_DUPLICATED"), Only(await _sender.ValidateAsync(stream, """{"client_id":"2.3","events":[{"name":"signup","params":{"plan":"a","plan":"b"}}]}""")));
        Assert.Equal(("user_properties", "NAME_RESERVED"), Only(await _sender.ValidateAsync(stream, """{"client_id":"2.3","user_properties":{"user_id":{"value":"x"}},"events":[{"name":"signup"}]}""")));
        Assert.Equal(("user_properties", "VALUE_OUT_OF_BOUNDS"), Only(await _sender.ValidateAsync(stream, $$$"""{"client_id":"2.3","user_properties":{"tier":{"value":"{{{new string('t', 37)}}}"}},"events":[{"name":"signup"}]}""")));
        Assert.Equal(("consent.ad_user_data", "VALUE_INVALID"), Only(await _sender.ValidateAsync(stream, """{"client_id":"2.3","consent":{"ad_user_data":"YES"},"events":[{"name":"signup"}]}""")));
        Assert.Equal(("", "VALUE_INVALID"), Only(await _sender.ValidateAsync(stream, """{"client_id":""")));

        // Oversized batches: 26 events, 26 params, 26 user properties.
        var events = string.Join(",", Enumerable.Range(0, 26).Select(i => $$"""{"name":"event_{{i}}"}"""));
        Assert.Equal(("events", "EXCEEDED_MAX_ENTITIES"), Only(await _sender.ValidateAsync(stream, $$"""{"client_id":"2.4","events":[{{events}}]}""")));
        var parameters = string.Join(",", Enumerable.Range(0, 26).Select(i => $"\"p{i}\":{i}"));
        Assert.Equal(("events.params", "EXCEEDED_MAX_ENTITIES"), Only(await _sender.ValidateAsync(stream, "{\"client_id\":\"2.4\",\"events\":[{\"name\":\"signup\",\"params\":{" + parameters + "}}]}")));
        var properties = string.Join(",", Enumerable.Range(0, 26).Select(i => "\"u" + i + "\":{\"value\":" + i + "}"));
        Assert.Equal(("user_properties", "EXCEEDED_MAX_ENTITIES"), Only(await _sender.ValidateAsync(stream, "{\"client_id\":\"2.4\",\"user_properties\":{" + properties + "},\"events\":[{\"name\":\"signup\"}]}")));

        // Timestamps: Google's window is the last 72 hours.
        var old = DateTimeOffset.UtcNow.AddHours(-73).ToUnixTimeMilliseconds() * 1000;
        Assert.Equal(("timestamp_micros", "VALUE_OUT_OF_BOUNDS"), Only(await _sender.ValidateAsync(stream, $$"""{"client_id":"2.5","timestamp_micros":{{old}},"events":[{"name":"signup"}]}""")));

        // Nothing sent to the validation server was counted; a real event afterwards is.
        Assert.Equal(HttpStatusCode.NoContent, (await _sender.PostMpAsync(stream, PageView("2.6", "mp-debug.test/real"))).StatusCode);
        await _http.WaitForPageviewsAsync(stream.Domain, 1);
        Assert.Equal(1, await _http.PageviewsTodayAsync(stream.Domain));
        Assert.Empty(await _http.CustomEventsTodayAsync(stream.Domain));
    }

    [Fact]
    public async Task Invalid_payloads_get_204_and_count_only_their_valid_events()
    {
        var stream = await app.RegisterStreamAsync("mp-invalid.test", "G-MPINVALID");
        var tooMany = string.Join(",", Enumerable.Range(0, 26).Select(i => $$$"""{"name":"page_view","params":{"page_location":"https://mp-invalid.test/batch-{{{i}}}"}}"""));

        string[] rejected =
        [
            $$"""{"client_id":"3.1","events":[{{tooMany}}]}""",
            """{"client_id":"3.2","events":[{"name":"session_start"}]}""",
            """{"events":[{"name":"page_view"}]}""",
            """{"client_id":"3.3","events":[{"name":"page_view"}""",
            "not json at all",
        ];
        foreach (var body in rejected)
        {
            var response = await _sender.PostMpAsync(stream, body);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal("invalid_payload", Assert.Single(response.Headers.GetValues("X-Drop-Reason")));
        }

        // One reserved event among good ones: the good ones count.
        var mixed = await _sender.PostMpAsync(stream, """
            {"client_id":"3.4","events":[{"name":"first_visit"},{"name":"page_view","params":{"page_location":"https://mp-invalid.test/kept"}},{"name":"sign_up","params":{"method":"Google"}}]}
            """);
        Assert.Equal(HttpStatusCode.NoContent, mixed.StatusCode);
        Assert.Equal("invalid_payload", Assert.Single(mixed.Headers.GetValues("X-Drop-Reason")));

        await _http.WaitForPageviewsAsync(stream.Domain, 1);
        await Poll.UntilAsync(() => _http.CustomEventsTodayAsync(stream.Domain), g => g.ContainsKey("sign_up"), Wait, "the sign_up goal");
        var pages = await _http.QueryAsync(new { site_id = stream.Domain, metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } });
        // The sign_up event's page is a row too (event:page groups every event), with no pageview.
        Assert.Equal(["/kept"], pages.Rows().Where(r => r.Value[0] > 0).Select(r => r.Key));
        Assert.Equal(["sign_up"], (await _http.CustomEventsTodayAsync(stream.Domain)).Keys);
    }

    [Fact]
    public async Task Timestamps_place_events_in_the_past_and_session_ids_split_sessions()
    {
        var stream = await app.RegisterStreamAsync("mp-time.test", "G-MPTIME001");
        var twoDaysAgo = DateTimeOffset.UtcNow.AddDays(-2);
        var micros = twoDaysAgo.ToUnixTimeMilliseconds() * 1000;

        Assert.Equal(HttpStatusCode.NoContent, (await _sender.PostMpAsync(stream, $$$"""
            {"client_id":"4.1","timestamp_micros":{{{micros}}},"events":[{"name":"page_view","params":{"page_location":"https://mp-time.test/past"}}]}
            """)).StatusCode);
        // The same client, a minute apart within GA4's 30-minute timeout, but a new session_id: a second visit.
        Assert.Equal(HttpStatusCode.NoContent, (await _sender.PostMpAsync(stream, PageView("4.2", "mp-time.test/a"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _sender.PostMpAsync(stream, PageView("4.2", "mp-time.test/b").Replace("1733100000", "1733100999", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _sender.PostMpAsync(stream, PageView("4.2", "mp-time.test/c").Replace("1733100000", "1733100999", StringComparison.Ordinal))).StatusCode);

        await _http.WaitForPageviewsAsync(stream.Domain, 3);
        Assert.Equal(3, await _http.PageviewsTodayAsync(stream.Domain));
        Assert.Equal(2, await _http.MetricTodayAsync(stream.Domain, "visits"));

        // A range reaching today is never served from the closed-period cache, so polling it is safe.
        var from = twoDaysAgo.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var days = await Poll.UntilAsync(
            () => _http.QueryAsync(new { site_id = stream.Domain, metrics = new[] { "pageviews" }, date_range = new[] { from, Today }, dimensions = new[] { "time:day" } }),
            r => r.Rows().Keys.Any(k => k.StartsWith(from, StringComparison.Ordinal)), Wait, "the backdated pageview");
        Assert.Equal([1], days.Rows().Single(r => r.Key.StartsWith(from, StringComparison.Ordinal)).Value);
    }

    [Fact]
    public async Task A_backdated_event_reaches_the_cached_answer_of_its_closed_day()
    {
        var stream = await app.RegisterStreamAsync("mp-late.test", "G-MPLATE01");
        var day = DateTime.UtcNow.Date.AddDays(-2);
        var query = new { site_id = stream.Domain, metrics = new[] { "pageviews" }, date_range = new[] { day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } };

        // A closed day: computed once, then served from the cache.
        Assert.Equal(("miss", 0), await PageviewsAndCacheAsync(query));
        Assert.Equal(("hit", 0), await PageviewsAndCacheAsync(query));

        var micros = new DateTimeOffset(day.AddHours(12)).ToUnixTimeMilliseconds() * 1000;
        Assert.Equal(HttpStatusCode.NoContent, (await _sender.PostMpAsync(stream, $$$"""
            {"client_id":"5.1","timestamp_micros":{{{micros}}},"events":[{"name":"page_view","params":{"page_location":"https://mp-late.test/late"}}]}
            """)).StatusCode);

        // Once its segment holds the event, the site's cached answers are gone and the day is counted again.
        var (_, pageviews) = await Poll.UntilAsync(() => PageviewsAndCacheAsync(query), r => r.Pageviews == 1, Wait, "the backdated pageview in the closed day");
        Assert.Equal(1, pageviews);
        Assert.Equal(("hit", 1), await PageviewsAndCacheAsync(query));
    }

    private async Task<(string Cache, double Pageviews)> PageviewsAndCacheAsync(object query)
    {
        var response = await _http.PostAsJsonAsync("/api/v2/query", query);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.Headers.GetValues(Gateway.Api.QueryApi.CacheHeader).Single(), result.Metrics()[0]);
    }

    [Fact]
    public async Task Sites_carry_their_measurement_id_and_secrets_are_listed_without_the_secret()
    {
        var stream = await app.RegisterStreamAsync("mp-admin.test", "g-mpadmin01");
        Assert.Equal("G-MPADMIN01", (await _http.GetFromJsonAsync<JsonElement>("/api/sites/mp-admin.test")).GetProperty("ga4_measurement_id").GetString());

        var taken = await _http.PostAsJsonAsync("/api/sites", new { domain = "mp-thief.test", ga4_measurement_id = "G-MPADMIN01" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("application/problem+json", taken.Content.Headers.ContentType?.MediaType);
        var malformed = await _http.PostAsJsonAsync("/api/sites", new { domain = "mp-thief.test", ga4_measurement_id = "UA-12345-1" });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var list = await _http.GetFromJsonAsync<JsonElement>("/api/sites/mp-admin.test/mp-secrets");
        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal(("server", false), (listed.GetProperty("name").GetString(), listed.GetProperty("revoked").GetBoolean()));
        Assert.StartsWith(listed.GetProperty("prefix").GetString()!, stream.ApiSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(stream.ApiSecret, list.GetRawText(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync("/api/sites/mp-admin.test/mp-secrets/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PostAsJsonAsync("/api/sites/nobody.test/mp-secrets", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsJsonAsync("/api/sites/mp-admin.test/mp-secrets", new { name = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _sender.GetAsync("/api/sites/mp-admin.test/mp-secrets")).StatusCode);

        // Secrets and client ids are at rest only as hashes (the stored hash is the positive control).
        Assert.Equal(HttpStatusCode.NoContent, (await _sender.PostMpAsync(stream, PageView("987654321.123456789", "mp-admin.test/"))).StatusCode);
        await _http.WaitForPageviewsAsync(stream.Domain, 1);
        var files = Privacy.DataFiles.ReadAll(app.DataDirectory);
        var hash = Encoding.UTF8.GetBytes(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(stream.ApiSecret))));
        Assert.Contains(files.Values, bytes => Privacy.DataFiles.Contains(bytes, hash));
        foreach (var (file, bytes) in files)
        {
            Assert.False(Privacy.DataFiles.Contains(bytes, Encoding.UTF8.GetBytes(stream.ApiSecret)), $"the secret is in {file}");
            Assert.False(Privacy.DataFiles.Contains(bytes, Encoding.UTF8.GetBytes("987654321.123456789")), $"the client id is in {file}");
        }

        // Deleting the site forgets its measurement id: another site may take it.
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteSiteAsync("mp-admin.test")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsJsonAsync("/api/sites", new { domain = "mp-thief.test", ga4_measurement_id = "G-MPADMIN01" })).StatusCode);
    }

    private static (string Path, string Code) Only(List<(string Path, string Code, string Description)> messages)
    {
        var message = Assert.Single(messages);
        return (message.Path, message.Code);
    }
}

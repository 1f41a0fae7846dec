using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Tests.Functional;

/// <summary>
/// Revenue goals through the HTTP API, on events sent to /api/event with Plausible's revenue payload. Goals: Purchase in
/// EUR (our goals API), Subscribe in USD (Plausible's PUT /api/v1/sites/goals), Signup without a currency. Rate EURUSD
/// 1.25. Visitors: A buys for 10.00 EUR, B for 8.00 USD (6.40 EUR), C for 1,000 JPY (no rate), D subscribes for 4.00 EUR
/// (5.00 USD) and signs up with 99 EUR attached.
/// </summary>
public sealed class RevenueApiTests(RevenueAppFactory app) : IClassFixture<RevenueAppFactory>, IAsyncLifetime
{
    private const string Site = "revenue.test";
    private readonly HttpClient _http = app.CreateClient();

    public async Task InitializeAsync()
    {
        await app.RegisterAsync(Site, cookieless: true);
        var ours = await _http.PostAsJsonAsync($"/api/sites/{Site}/goals", new { event_name = "Purchase", currency = "EUR" });
        Assert.True(ours.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await ours.Content.ReadAsStringAsync());
        var plausibles = await _http.PutAsJsonAsync("/api/v1/sites/goals", new { site_id = Site, goal_type = "event", event_name = "Subscribe", currency = "USD" });
        Assert.Equal(HttpStatusCode.OK, plausibles.StatusCode);
        Assert.Equal("USD", (await plausibles.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currency").GetString());
        await _http.PostAsJsonAsync($"/api/sites/{Site}/goals", new { event_name = "Signup" });
        // Each test's instance initializes; the events are sent once (the first waited until all five were counted).
        if ((await _http.QueryAsync(new { site_id = Site, metrics = new[] { "events" }, date_range = "day" })).Metrics()[0] > 0)
        {
            return;
        }

        foreach (var (agent, name, revenue) in new[]
        {
            ("A", "Purchase", """{"amount":"10.00","currency":"EUR"}"""), ("B", "Purchase", """{"amount":8,"currency":"USD"}"""),
            ("C", "Purchase", """{"amount":1000,"currency":"JPY"}"""), ("D", "Subscribe", """{"amount":"4.00","currency":"EUR"}"""),
            ("D", "Signup", """{"amount":99,"currency":"EUR"}"""),
        })
        {
            var sent = await _http.PostEventAsync($$"""{"n":"{{name}}","u":"https://{{Site}}/checkout","d":"{{Site}}","revenue":{{revenue}}}""", userAgent: $"{Api.Chrome} Visitor/{agent}");
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }

        await Poll.UntilAsync(() => _http.QueryAsync(new { site_id = Site, metrics = new[] { "events" }, date_range = "day" }), r => r.Metrics()[0] >= 5, TimeSpan.FromSeconds(30), "the five events");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static (string? Short, string? Long, double Value, string? Currency) Money(JsonElement metric) =>
        (metric.GetProperty("short").GetString(), metric.GetProperty("long").GetString(), metric.GetProperty("value").GetDouble(), metric.GetProperty("currency").GetString());

    [Fact]
    public async Task A_revenue_goal_answers_in_plausibles_shape_in_its_currency_and_says_what_it_left_out()
    {
        var result = await _http.QueryAsync(new
        {
            site_id = Site,
            metrics = new[] { "visitors", "total_revenue", "average_revenue" },
            date_range = "day",
            filters = new object[] { new object[] { "is", "event:goal", new[] { "Purchase" } } },
        });

        var metrics = result.GetProperty("results")[0].GetProperty("metrics");
        Assert.Equal(3, metrics[0].GetDouble());
        Assert.Equal(("€16.4", "€16.40", 16.4, "EUR"), Money(metrics[1]));
        Assert.Equal(("€8.2", "€8.20", 8.2, "EUR"), Money(metrics[2]));
        var warning = result.GetProperty("meta").GetProperty("metric_warnings").GetProperty("total_revenue");
        Assert.Equal("no_exchange_rate", warning.GetProperty("code").GetString());
        Assert.Contains("JPY", warning.GetProperty("warning").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_goal_each_revenue_goal_in_its_currency_and_null_for_the_others()
    {
        var result = await _http.QueryAsync(new { site_id = Site, metrics = new[] { "events", "total_revenue" }, date_range = "day", dimensions = new[] { "event:goal" } });

        var rows = result.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("dimensions")[0].GetString()!, r => r.GetProperty("metrics"));
        Assert.Equal(("$5.0", "$5.00", 5, "USD"), Money(rows["Subscribe"][1]));
        Assert.Equal(("€16.4", "€16.40", 16.4, "EUR"), Money(rows["Purchase"][1]));
        Assert.Equal(JsonValueKind.Null, rows["Signup"][1].ValueKind);
    }

    [Fact]
    public async Task A_sites_own_rates_convert_what_the_configured_ones_do_not()
    {
        // Its own site, one purchase of 1,000 JPY; JPYEUR 0.0062 in the site's settings makes it 6.20 EUR.
        const string site = "revenue-rates.test";
        await app.RegisterAsync(site, cookieless: true);
        await _http.PostAsJsonAsync($"/api/sites/{site}/goals", new { event_name = "Purchase", currency = "EUR" });
        var refused = await _http.PatchAsJsonAsync($"/api/sites/{site}", new { revenue_rates = new Dictionary<string, decimal> { ["JPYJPY"] = 1m } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("two different currency codes", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var patched = await _http.PatchAsJsonAsync($"/api/sites/{site}", new { revenue_rates = new Dictionary<string, decimal> { ["jpyeur"] = 0.0062m } });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(0.0062m, (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revenue_rates").GetProperty("JPYEUR").GetDecimal());
        if ((await _http.QueryAsync(new { site_id = site, metrics = new[] { "events" }, date_range = "day" })).Metrics()[0] == 0)
        {
            var sent = await _http.PostEventAsync($$$"""{"n":"Purchase","u":"https://{{{site}}}/checkout","d":"{{{site}}}","revenue":{"amount":1000,"currency":"JPY"}}""");
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            await Poll.UntilAsync(() => _http.QueryAsync(new { site_id = site, metrics = new[] { "events" }, date_range = "day" }), r => r.Metrics()[0] >= 1, TimeSpan.FromSeconds(30), "the purchase");
        }

        var result = await _http.QueryAsync(new { site_id = site, metrics = new[] { "total_revenue" }, date_range = "day" });

        Assert.Equal(("€6.2", "€6.20", 6.2, "EUR"), Money(result.GetProperty("results")[0].GetProperty("metrics")[0]));
        Assert.False(result.GetProperty("meta").TryGetProperty("metric_warnings", out _));
    }

    [Fact]
    public async Task Several_currencies_without_a_goal_dimension_are_null_with_plausibles_warning()
    {
        var result = await _http.QueryAsync(new { site_id = Site, metrics = new[] { "total_revenue" }, date_range = "day" });

        Assert.Equal(JsonValueKind.Null, result.GetProperty("results")[0].GetProperty("metrics")[0].ValueKind);
        var warning = result.GetProperty("meta").GetProperty("metric_warnings").GetProperty("total_revenue");
        Assert.Equal("no_single_revenue_currency", warning.GetProperty("code").GetString());
        Assert.Equal("Revenue metrics are null as there are multiple currencies for the selected event:goals.", warning.GetProperty("warning").GetString());
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Analytics.Browser.Tests;

/// <summary>
/// A GA4 web tag sender in a real Chromium, unchanged from npm, pointed at the product's /g/collect: its page views,
/// custom and enhanced-measurement events and engagement are counted, read back through the Stats API.
/// </summary>
public sealed class Ga4SenderBrowserTests(Ga4SenderFixture fixture) : IClassFixture<Ga4SenderFixture>
{
    private const string DesktopChrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Page_views_events_and_engagement_sent_by_the_tag_are_counted()
    {
        if (fixture.Browser is null)
        {
            return;
        }

        // A real visitor's browser: headless Chromium's own User-Agent is (rightly) dropped as a bot.
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            UserAgent = DesktopChrome,
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            ScreenSize = new ScreenSize { Width = 1366, Height = 768 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.PagesUrl}/p/pricing?utm_source=newsletter");
        await page.EvaluateAsync("() => window.track({ type: 'sign_up', event: { 'ep.method': 'Google', 'epn.plan_price': 9.5 } })");
        await page.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
        await Poll.UntilAsync(async () => (await CustomEventsAsync()).ContainsKey("scroll"), Wait, "the scroll event");
        // Leaving the page sends its engagement, then the next page's view.
        await page.ClickAsync("#next");
        await page.WaitForURLAsync("**/p/guide");

        var pageviews = await Poll.UntilAsync(() => MetricsAsync("pageviews", "visitors", "visits", "bounce_rate"), m => m[0] == 2, Wait, "two pageviews");
        Assert.Equal([2, 1, 1, 0], pageviews);
        Assert.Equal(new Dictionary<string, double> { ["sign_up"] = 1, ["scroll"] = 1 }, await CustomEventsAsync());
        Assert.Equal(["/p/guide", "/p/pricing"], (await RowsAsync("event:page", "pageviews")).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, (await RowsAsync("visit:source", "visits"))["newsletter"][0]);
        Assert.Equal(1, (await RowsAsync("visit:browser", "visitors"))["Chrome"][0]);
        Assert.Equal(1, (await RowsAsync("visit:screen", "visitors"))["Laptop"][0]);

        // The engagement the tag reported on leaving /pricing is in the raw events, as an engagement event.
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var csv = await Poll.UntilAsync(
            () => fixture.Http.GetStringAsync($"/api/sites/{Ga4SenderFixture.Site}/export/events.csv?from={today}&to={today}"),
            text => text.Contains(",engagement,", StringComparison.Ordinal), Wait, "the engagement event");
        Assert.Contains("\"method\":\"Google\"", csv.Replace("\"\"", "\"", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private async Task<double[]> MetricsAsync(params string[] metrics) =>
        [.. (await QueryAsync(new { site_id = Ga4SenderFixture.Site, metrics, date_range = "day" })).GetProperty("results")[0].GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble())];

    private async Task<Dictionary<string, double>> CustomEventsAsync() =>
        (await RowsAsync("event:name", "events")).ToDictionary(r => r.Key, r => r.Value[0]);

    private async Task<Dictionary<string, double[]>> RowsAsync(string dimension, string metric) =>
        (await QueryAsync(new { site_id = Ga4SenderFixture.Site, metrics = new[] { metric }, date_range = "day", dimensions = new[] { dimension } }))
            .GetProperty("results").EnumerateArray().ToDictionary(
                r => r.GetProperty("dimensions")[0].GetString()!,
                r => r.GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble()).ToArray());

    private async Task<JsonElement> QueryAsync(object query)
    {
        var response = await fixture.Http.PostAsJsonAsync("/api/v2/query", query);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode ? json : throw new InvalidOperationException($"{(int)response.StatusCode}: {json}");
    }
}

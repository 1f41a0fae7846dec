using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// In Chromium: a revenue goal's revenue in the Goals panel, in its currency. Purchase is a goal in euros, Signup one
/// without a currency. Visitor 1 buys for 10.00 EUR, 2 for 20.40 EUR, 3 signs up.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class RevenueGoalsTests(DashboardFixture fixture)
{
    private const string Site = "revenue-goals.test";

    [Fact]
    public async Task The_goals_panel_shows_revenue_columns_for_goals_with_a_currency()
    {
        await SeedAsync();
        var page = await fixture.OpenAsync($"?site={Site}&period=day", width: 1280, height: 900);
        if (page is null)
        {
            return;
        }

        // Conversion rates of 3 visitors; revenue 30.40 in all, 15.20 a purchase; none for Signup (no currency).
        var rows = page.Locator("#body-goals tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Locator("#body-goals thead")).ToContainTextAsync("Revenue");
        Assert.Equal(["Purchase|2|2|66.7%|€30.4|€15.2", "Signup|1|1|33.3%|–|–"], await RowsAsync(page));
        Assert.Equal("€30.40", await rows.Nth(0).Locator("td").Nth(3).GetAttributeAsync("title"));
        await page.Locator("#panel-goals").ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "goals-revenue-1280.png") });

        // The CSV has the amounts.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-csv=goals]").ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Equal("goal,visitors,events,conversion_rate,total_revenue,average_revenue\r\nPurchase,2,2,66.7,30.4,15.2\r\nSignup,1,1,33.3,,\r\n", csv);
        await page.Context.CloseAsync();
    }

    private async Task SeedAsync()
    {
        var registered = await fixture.Http.PostAsJsonAsync("/api/sites", new { domain = Site, timezone = "Etc/UTC" });
        if (registered.StatusCode == HttpStatusCode.Conflict)
        {
            return;
        }

        registered.EnsureSuccessStatusCode();
        (await fixture.Http.PostAsJsonAsync($"/api/sites/{Site}/goals", new { event_name = "Purchase", currency = "EUR" })).EnsureSuccessStatusCode();
        (await fixture.Http.PostAsJsonAsync($"/api/sites/{Site}/goals", new { event_name = "Signup" })).EnsureSuccessStatusCode();
        foreach (var (visitor, name, amount) in new[] { ("1", "Purchase", "10.00"), ("2", "Purchase", "20.40"), ("3", "Signup", (string?)null) })
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["n"] = name,
                ["u"] = $"https://{Site}/checkout",
                ["d"] = Site,
                ["v"] = $"revenue-visitor-{visitor}",
                ["$"] = amount is null ? null : new { amount, currency = "EUR" },
            });
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/event") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
            request.Headers.TryAddWithoutValidation("User-Agent", $"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.{visitor}.0 Safari/537.36");
            using var response = await fixture.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.False(response.Headers.Contains("X-Drop-Reason"));
        }

        await Poll.UntilAsync(
            () => fixture.QueryAsync($$"""{"site_id":"{{Site}}","metrics":["events"],"date_range":"day"}"""),
            r => r.GetProperty("results")[0].GetProperty("metrics")[0].GetDouble() >= 3,
            TimeSpan.FromSeconds(30),
            $"3 events on {Site}");
    }

    private static async Task<string[]> RowsAsync(IPage page)
    {
        var rows = page.Locator("#body-goals tbody tr");
        var result = new List<string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            result.Add(string.Join("|", (await rows.Nth(i).Locator("th, td").AllInnerTextsAsync()).Select(c => c.Trim())));
        }

        return [.. result];
    }
}

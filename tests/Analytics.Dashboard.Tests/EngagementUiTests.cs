using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// In Chromium: the Pages panel's engagement (time on page and scroll depth from the tracker's engagement events) and
/// the exit rate of exit pages. Visitor 1 reads / then /pricing, engaged 75 s there and scrolled to 64 %; visitor 2
/// reads / only. Exits: / once of its 2 pageviews (50 %), /pricing once of 1 (100 %).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class EngagementUiTests(DashboardFixture fixture)
{
    private const string Site = "engagement-ui.test";

    [Fact]
    public async Task The_pages_panel_shows_time_on_page_scroll_depth_and_exit_rate()
    {
        await SeedAsync();
        var page = await fixture.OpenAsync($"?site={Site}&period=day", width: 1280, height: 900);
        if (page is null)
        {
            return;
        }

        var tabs = page.Locator("#tabs-pages");
        await tabs.GetByRole(AriaRole.Tab, new() { Name = "Engagement" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator("#body-pages thead")).ToContainTextAsync("Time");
        await Expect(page.Locator("#body-pages thead")).ToContainTextAsync("Scroll");
        Assert.Equal("/pricing|1|1m 15s|64%", (await DashboardFixture.PanelRowsAsync(page, "pages")).Single(r => r.StartsWith("/pricing|", StringComparison.Ordinal)));
        await page.Locator("#panel-pages").ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "pages-engagement-1280.png") });

        await tabs.GetByRole(AriaRole.Tab, new() { Name = "Exit pages" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator("#body-pages thead")).ToContainTextAsync("Exit rate");
        Assert.Equal(["/pricing|1|1|100%", "/|1|1|50%"], (await DashboardFixture.PanelRowsAsync(page, "pages")).Order(StringComparer.Ordinal));
        await page.Context.CloseAsync();
    }

    /// <summary>Each event counted before the next, so the order of receipt is the order of the visit.</summary>
    private async Task SeedAsync()
    {
        (await fixture.Http.PostAsJsonAsync("/api/sites", new { domain = Site, timezone = "Etc/UTC" })).EnsureSuccessStatusCode();
        var sent = 0;
        foreach (var (visitor, name, path) in new[] { ("1", "pageview", "/"), ("1", "pageview", "/pricing"), ("1", "engagement", "/pricing"), ("2", "pageview", "/") })
        {
            var body = new Dictionary<string, object?> { ["n"] = name, ["u"] = $"https://{Site}{path}", ["d"] = Site };
            if (name == "engagement")
            {
                body["e"] = 75_000;
                body["sd"] = 64;
            }

            await fixture.PostBeaconAsync(body, visitor);
            if (name == "engagement")
            {
                await Poll.UntilAsync(
                    () => fixture.QueryAsync($$"""{"site_id":"{{Site}}","metrics":["scroll_depth"],"date_range":"day","dimensions":["event:page"],"filters":[["is","event:page",["/pricing"]]]}"""),
                    r => r.GetProperty("results").GetArrayLength() > 0 && r.GetProperty("results")[0].GetProperty("metrics")[0] is { ValueKind: JsonValueKind.Number } depth && depth.GetDouble() > 0,
                    TimeSpan.FromSeconds(30),
                    $"the engagement on {Site}");
                continue;
            }

            sent++;
            await Poll.UntilAsync(
                () => fixture.QueryAsync($$"""{"site_id":"{{Site}}","metrics":["pageviews"],"date_range":"day"}"""),
                r => r.GetProperty("results")[0].GetProperty("metrics")[0].GetDouble() >= sent,
                TimeSpan.FromSeconds(30),
                $"{sent} pageviews on {Site}");
        }
    }
}

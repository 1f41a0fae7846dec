using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// In Chromium, on its own site: goals made in the settings show their conversions in the Goals panel, and a three-step
/// funnel built from them shows its steps. Four visitors: 1 reads /, /pricing, /checkout and signs up; 2 reads / and
/// /pricing; 3 reads /; 4 reads /pricing.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class GoalsAndFunnelsTests(DashboardFixture fixture)
{
    private const string Site = "funnels.test";

    [Fact]
    public async Task Goals_made_in_the_dashboard_show_conversions_and_a_three_step_funnel_shows_each_step()
    {
        await SeedAsync();
        var page = await fixture.OpenAsync($"?site={Site}&period=day", width: 1280, height: 900);
        if (page is null)
        {
            return;
        }

        await Expect(page.Locator("#body-funnel")).ToContainTextAsync("No funnel yet");
        await page.Locator("#manage-toggle").ClickAsync();
        var form = page.Locator("#add-goal");
        foreach (var (kind, target) in new[] { ("Page visit", "/"), ("Page visit", "/pricing"), ("Page visit", "/checkout"), ("Custom event", "Signup") })
        {
            await form.GetByLabel(kind).CheckAsync();
            await form.GetByLabel("Event name or page path").FillAsync(target);
            await form.GetByRole(AriaRole.Button, new() { Name = "Add goal" }).ClickAsync();
            await Expect(page.Locator("#goals li", new() { HasText = target == "Signup" ? "Signup" : $"Visit {target}" })).ToHaveCountAsync(1);
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "goals-settings-1280.png"), FullPage = true });
        await page.ReloadAsync();
        await DashboardFixture.WaitReadyAsync(page);

        // Visitors, events (pageviews for page goals) and conversion rate of the four visitors, per goal.
        Assert.Equal(["Visit /|3|3|75%", "Visit /pricing|3|3|75%", "Signup|1|1|25%", "Visit /checkout|1|1|25%"], await RowsAsync(page, "goals"));
        await page.Locator("#panel-goals").ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "goals-conversions-1280.png") });

        // A funnel from three of them, in order (Sites & keys may have stayed open across the reload).
        if (await page.Locator("#manage-toggle").GetAttributeAsync("aria-expanded") != "true")
        {
            await page.Locator("#manage-toggle").ClickAsync();
        }

        var funnelForm = page.Locator("#add-funnel");
        await funnelForm.GetByLabel("Funnel name").FillAsync("Checkout");
        foreach (var (step, goal) in new[] { ("Step 1", "Visit /"), ("Step 2", "Visit /pricing"), ("Step 3", "Visit /checkout") })
        {
            await funnelForm.GetByLabel(step, new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = goal });
        }

        await funnelForm.GetByRole(AriaRole.Button, new() { Name = "Create funnel" }).ClickAsync();
        await Expect(page.Locator("#funnels li", new() { HasText = "Checkout" })).ToContainTextAsync("Visit / → Visit /pricing → Visit /checkout");

        // 3 entered (1, 2, 3), 2 went on to /pricing after / (1, 2; 4 never read /), 1 reached /checkout.
        var steps = page.Locator("#body-funnel .funnel-step");
        await Expect(steps).ToHaveCountAsync(3);
        await Expect(steps.Nth(0)).ToContainTextAsync("3 visitors · 100%");
        await Expect(steps.Nth(1)).ToContainTextAsync("2 visitors · 66.67%");
        await Expect(steps.Nth(1)).ToContainTextAsync("1 dropped off (33.33%)");
        await Expect(steps.Nth(2)).ToContainTextAsync("1 visitors · 33.33%");
        await Expect(steps.Nth(2)).ToContainTextAsync("1 dropped off (50%)");
        await Expect(page.Locator("#body-funnel .funnel-summary")).ToContainTextAsync("3 of 4 visitors entered the funnel (75%)");
        await page.Locator("#panel-funnel").ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "funnel-three-steps-1280.png") });

        // A filter narrows the funnel too: visitors whose visit entered on /pricing (4 alone) never entered it.
        await page.Locator("#filter-toggle").ClickAsync();
        await page.Locator("#filter-dimension").SelectOptionAsync("visit:entry_page");
        await page.Locator("#filter-value").FillAsync("/pricing");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator("#body-funnel .funnel-summary")).ToContainTextAsync("0 of 1 visitors entered the funnel");
        await page.Context.CloseAsync();
    }

    /// <summary>Registers the site and sends its events a step at a time, each counted before the next, so their order is the order of receipt.</summary>
    private async Task SeedAsync()
    {
        var registered = await fixture.Http.PostAsJsonAsync("/api/sites", new { domain = Site, timezone = "Etc/UTC" });
        if (registered.StatusCode == HttpStatusCode.Conflict)
        {
            return;
        }

        registered.EnsureSuccessStatusCode();
        string[][] rounds = [["1 /", "2 /", "3 /"], ["1 /pricing", "2 /pricing", "4 /pricing"], ["1 /checkout"], ["1 Signup"]];
        var sent = 0;
        foreach (var round in rounds)
        {
            foreach (var item in round)
            {
                var (visitor, what) = (item.Split(' ')[0], item.Split(' ')[1]);
                var body = JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["n"] = what.StartsWith('/') ? "pageview" : what,
                    ["u"] = $"https://{Site}{(what.StartsWith('/') ? what : "/checkout")}",
                    ["d"] = Site,
                    ["v"] = $"funnel-visitor-{visitor}",
                });
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/event") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
                request.Headers.TryAddWithoutValidation("User-Agent", $"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.{visitor}.0 Safari/537.36");
                using var response = await fixture.Http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                Assert.False(response.Headers.Contains("X-Drop-Reason"));
            }

            sent += round.Length;
            await Poll.UntilAsync(
                () => fixture.QueryAsync($$"""{"site_id":"{{Site}}","metrics":["events"],"date_range":"day"}"""),
                r => r.GetProperty("results")[0].GetProperty("metrics")[0].GetDouble() >= sent,
                TimeSpan.FromSeconds(30),
                $"{sent} events on {Site}");
        }
    }

    private static async Task<string[]> RowsAsync(IPage page, string panel)
    {
        var rows = page.Locator($"#body-{panel} tbody tr");
        var result = new List<string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            result.Add(string.Join("|", (await rows.Nth(i).Locator("th, td").AllInnerTextsAsync()).Select(c => c.Trim())));
        }

        return [.. result];
    }
}

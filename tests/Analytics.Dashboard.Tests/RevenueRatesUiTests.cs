using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// In Chromium: a site's revenue exchange rates, set in its settings, convert what the configured ones do not. Purchase
/// is a goal in euros (made in the goals form); visitor 1 buys for 10.00 EUR, visitor 2 for 1,000 JPY. Until the site
/// has a JPYEUR rate, the yen are left out and the Goals panel says so; with JPYEUR 0.0062 they count as 6.20 EUR.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class RevenueRatesUiTests(DashboardFixture fixture)
{
    private const string Site = "revenue-rates-ui.test";

    [Fact]
    public async Task A_sites_rate_table_is_edited_in_its_settings_and_converts_the_goals_revenue()
    {
        (await fixture.Http.PostAsJsonAsync("/api/sites", new { domain = Site, timezone = "Etc/UTC" })).EnsureSuccessStatusCode();
        var page = await fixture.OpenAsync($"?site={Site}&period=day", width: 1280, height: 900);
        if (page is null)
        {
            return;
        }

        await page.Locator("#manage-toggle").ClickAsync();
        var goal = page.Locator("#add-goal");
        await goal.GetByLabel("Event name or page path").FillAsync("Purchase");
        await goal.GetByLabel("Revenue currency (event goals, optional)").FillAsync("eur");
        await goal.GetByRole(AriaRole.Button, new() { Name = "Add goal" }).ClickAsync();
        await Expect(page.Locator("#goals li", new() { HasText = "Purchase" })).ToContainTextAsync("revenue in EUR");
        await SendPurchasesAsync();

        // Without a rate the yen are left out, and the panel says which currency and where rates are set.
        await page.ReloadAsync();
        await DashboardFixture.WaitReadyAsync(page);
        var purchase = page.Locator("#body-goals tbody tr", new() { HasText = "Purchase" });
        await Expect(purchase.Locator("td").Nth(3)).ToHaveTextAsync("€10.0");
        await Expect(page.Locator("#panel-goals .panel-note")).ToHaveTextAsync(
            "Revenue in JPY is left out: no exchange rate converts it to its goal's currency (Analytics:Revenue:Rates or the site's revenue_rates).");

        // The rate table: each refusal in the API's words (or the form's, for a line that is no rate at all), then saved.
        if (await page.Locator("#manage-toggle").GetAttributeAsync("aria-expanded") != "true")
        {
            await page.Locator("#manage-toggle").ClickAsync();
        }

        var settings = page.Locator("#site-settings");
        var rates = settings.GetByLabel("Revenue exchange rates");
        var save = settings.GetByRole(AriaRole.Button, new() { Name = "Save settings" });
        await Expect(rates).ToHaveValueAsync(string.Empty);
        foreach (var (text, refusal) in new[]
        {
            ("JPYJPY 1", "revenue rate JPYJPY = 1: a rate is keyed by two different currency codes (\"EURUSD\": the price of one euro in dollars) and above zero."),
            ("JPYEUR 0", "revenue rate JPYEUR = 0: a rate is keyed by two different currency codes (\"EURUSD\": the price of one euro in dollars) and above zero."),
            ("yen 0.0062", "revenue rate YEN = 0.0062: a rate is keyed by two different currency codes (\"EURUSD\": the price of one euro in dollars) and above zero."),
            ("JPYEUR cheap", "\"JPYEUR cheap\": write a rate as two currency codes and a number, e.g. USDEUR 0.92."),
        })
        {
            await rates.FillAsync(text);
            await save.ClickAsync();
            await Expect(settings.GetByRole(AriaRole.Alert)).ToHaveTextAsync(refusal);
        }

        await rates.FillAsync("jpyeur 0.0062\nUSDEUR = 0.92");
        await save.ClickAsync();
        await Expect(settings.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        var stored = (await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}")).GetProperty("revenue_rates");
        Assert.Equal(0.0062m, stored.GetProperty("JPYEUR").GetDecimal());
        Assert.Equal(0.92m, stored.GetProperty("USDEUR").GetDecimal());
        await page.Locator("#settings-panel").ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "settings-revenue-rates-1280.png") });

        // Shown as saved after a reload; the yen now count: 10.00 + 1,000 × 0.0062 = 16.20 EUR, 8.10 a purchase.
        await page.ReloadAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator("#panel-goals .panel-note")).ToBeHiddenAsync();
        await Expect(purchase.Locator("td").Nth(3)).ToHaveTextAsync("€16.2");
        Assert.Equal(["Purchase", "2", "2", "100%", "€16.2", "€8.1"], (await purchase.Locator("th, td").AllInnerTextsAsync()).Select(c => c.Trim()));
        if (await page.Locator("#manage-toggle").GetAttributeAsync("aria-expanded") != "true")
        {
            await page.Locator("#manage-toggle").ClickAsync();
        }

        await Expect(rates).ToHaveValueAsync("JPYEUR 0.0062\nUSDEUR 0.92");

        // An empty table clears the site's rates: the yen are left out again.
        await rates.FillAsync(string.Empty);
        await save.ClickAsync();
        await Expect(settings.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        Assert.Empty((await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}")).GetProperty("revenue_rates").EnumerateObject());
        await page.Context.CloseAsync();
    }

    private async Task SendPurchasesAsync()
    {
        foreach (var (visitor, amount, currency) in new[] { ("1", "10.00", "EUR"), ("2", "1000", "JPY") })
        {
            await fixture.PostBeaconAsync(new Dictionary<string, object?>
            {
                ["n"] = "Purchase",
                ["u"] = $"https://{Site}/checkout",
                ["d"] = Site,
                ["$"] = new { amount, currency },
            }, visitor);
        }

        await Poll.UntilAsync(
            () => fixture.QueryAsync($$"""{"site_id":"{{Site}}","metrics":["events"],"date_range":"day"}"""),
            r => r.GetProperty("results")[0].GetProperty("metrics")[0].GetDouble() >= 2,
            TimeSpan.FromSeconds(30),
            $"2 purchases on {Site}");
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// In Chromium: the settings this issue adds refuse what the API refuses, each form showing the API's own message —
/// goals (custom properties, currency, page goals), funnels (steps, names) and saved segments (a taken name) — and a
/// custom-event goal restricted by a property value is made from the form.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SettingsRefusalsUiTests(DashboardFixture fixture)
{
    private const string Site = "settings-refusals.test";

    [Fact]
    public async Task Goal_funnel_and_segment_forms_show_the_apis_refusals()
    {
        await SeedAsync();
        var page = await fixture.OpenAsync($"?site={Site}&period=day", width: 1280, height: 900);
        if (page is null)
        {
            return;
        }

        await page.Locator("#manage-toggle").ClickAsync();
        var goal = page.Locator("#add-goal");
        var target = goal.GetByLabel("Event name or page path");
        var props = goal.GetByLabel("Custom properties (event goals, optional)");
        var currency = goal.GetByLabel("Revenue currency (event goals, optional)");
        var add = goal.GetByRole(AriaRole.Button, new() { Name = "Add goal" });
        var error = goal.GetByRole(AriaRole.Alert);

        await target.FillAsync("Signup");
        await props.FillAsync("plan=pro, a=1, b=2, c=3");
        await add.ClickAsync();
        await Expect(error).ToHaveTextAsync("custom_props: use at most 3 properties per goal.");
        await props.FillAsync("plan");
        await add.ClickAsync();
        await Expect(error).ToHaveTextAsync("\"plan\": write a custom property as key=value.");
        await props.FillAsync(string.Empty);
        await currency.FillAsync("EURO");
        await add.ClickAsync();
        await Expect(error).ToHaveTextAsync("currency must be an ISO 4217 code such as EUR or USD, not 'EURO'.");
        await goal.GetByLabel("Page visit").CheckAsync();
        await target.FillAsync("/pricing");
        await currency.FillAsync("EUR");
        await add.ClickAsync();
        await Expect(error).ToHaveTextAsync("currency and custom_props apply to event goals only.");

        // Accepted: a page goal, and Signup restricted to plan=pro under its own name.
        await currency.FillAsync(string.Empty);
        await add.ClickAsync();
        await Expect(page.Locator("#goals li", new() { HasText = "Visit /pricing" })).ToHaveCountAsync(1);
        await goal.GetByLabel("Custom event").CheckAsync();
        await target.FillAsync("Signup");
        await props.FillAsync("plan = pro");
        await goal.GetByLabel("Display name (optional)").FillAsync("Pro signup");
        await add.ClickAsync();
        await Expect(page.Locator("#goals li", new() { HasText = "Pro signup" })).ToContainTextAsync("custom event Signup with plan=pro");
        var stored = (await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/goals")).EnumerateArray().Single(g => g.GetProperty("display_name").GetString() == "Pro signup");
        Assert.Equal("""{"plan":"pro"}""", stored.GetProperty("custom_props").GetRawText());

        // Funnels: a name, 2 to 8 steps, each another goal; a taken name is a conflict.
        var funnel = page.Locator("#add-funnel");
        var create = funnel.GetByRole(AriaRole.Button, new() { Name = "Create funnel" });
        var funnelError = funnel.GetByRole(AriaRole.Alert);
        await funnel.GetByLabel("Step 1", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Visit /pricing" });
        await funnel.GetByLabel("Step 2", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Pro signup" });
        await create.ClickAsync();
        await Expect(funnelError).ToHaveTextAsync("name must be 1 to 120 characters.");
        await funnel.GetByLabel("Funnel name").FillAsync("Upgrade");
        await funnel.GetByLabel("Step 2", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "(choose a goal)" });
        await create.ClickAsync();
        await Expect(funnelError).ToHaveTextAsync("A funnel has 2 to 8 steps.");
        await funnel.GetByLabel("Step 2", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Visit /pricing" });
        await create.ClickAsync();
        await Expect(funnelError).ToHaveTextAsync("Goal 'Visit /pricing' is a step twice; each step is another goal.");
        await funnel.GetByLabel("Step 2", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Pro signup" });
        await create.ClickAsync();
        await Expect(page.Locator("#funnels li", new() { HasText = "Upgrade" })).ToContainTextAsync("Visit /pricing → Pro signup");
        await Expect(funnelError).ToBeHiddenAsync();
        await funnel.GetByLabel("Funnel name").FillAsync("Upgrade");
        await funnel.GetByLabel("Step 1", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Visit /pricing" });
        await funnel.GetByLabel("Step 2", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Pro signup" });
        await create.ClickAsync();
        await Expect(funnelError).ToHaveTextAsync("Another funnel is already named 'Upgrade' (or a step's goal was deleted meanwhile).");
        await page.Locator("#funnels-panel").ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "settings-funnel-refused-1280.png") });
        await page.Locator("#manage-toggle").ClickAsync();

        // Segments: a second one under a taken name is refused with the API's words.
        await page.Locator("#filter-toggle").ClickAsync();
        await page.Locator("#filter-dimension").SelectOptionAsync("event:page");
        await page.Locator("#filter-value").FillAsync("/pricing");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await page.Locator("#segments-toggle").ClickAsync();
            await page.Locator("#segment-name").FillAsync("Pricing readers");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save segment" }).ClickAsync();
            if (attempt == 0)
            {
                // Saved, the menu closes; opening it again before then would close it instead.
                await Expect(page.Locator("#segments-menu")).ToBeHiddenAsync();
            }
        }

        await Expect(page.Locator("#segment-error")).ToHaveTextAsync("Another segment is already named 'Pricing readers', or the site has 500 segments.");
        Assert.Single((await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/segments")).EnumerateArray());
        await page.Context.CloseAsync();
    }

    private async Task SeedAsync()
    {
        var registered = await fixture.Http.PostAsJsonAsync("/api/sites", new { domain = Site, timezone = "Etc/UTC" });
        registered.EnsureSuccessStatusCode();
        await fixture.PostBeaconAsync(new Dictionary<string, object?> { ["n"] = "pageview", ["u"] = $"https://{Site}/pricing", ["d"] = Site }, "1");
        await Poll.UntilAsync(
            () => fixture.QueryAsync($$"""{"site_id":"{{Site}}","metrics":["pageviews"],"date_range":"day"}"""),
            r => r.GetProperty("results")[0].GetProperty("metrics")[0].GetDouble() >= 1,
            TimeSpan.FromSeconds(30),
            $"the pageview on {Site}");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// The site settings area of Sites &amp; keys in real Chromium: the GA4 measurement id and Measurement Protocol API secrets
/// (created, shown once, listed, revoked: the secret works on /mp/collect until then), and the allowed custom properties
/// the Properties panel then offers; each refusal shows the API's own message.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class SiteSettingsUiTests(DashboardFixture fixture)
{
    private const string Site = "settings-ui.test";

    [Fact]
    public async Task Ga4_secrets_and_allowed_properties_are_managed_in_the_site_settings()
    {
        (await fixture.Http.PostAsJsonAsync("/api/sites", new { domain = Site, timezone = "Etc/UTC" })).EnsureSuccessStatusCode();
        var page = await fixture.OpenAsync($"?site={Site}&period=day");
        if (page is null)
        {
            return;
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sites & keys" }).ClickAsync();

        // The measurement id: a Universal Analytics id is refused with the API's words, a GA4 one is kept.
        var settings = page.Locator("#site-settings");
        await settings.GetByLabel("GA4 measurement id").FillAsync("UA-12345-1");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(settings.GetByRole(AriaRole.Alert)).ToHaveTextAsync("ga4_measurement_id must be a GA4 measurement id such as G-XXXXXXXXXX.");
        await settings.GetByLabel("GA4 measurement id").FillAsync("G-SETTINGSUI");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(settings.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");

        // An API secret: a nameless one is refused; a named one is shown once, listed by its prefix, and counts on /mp/collect.
        var secrets = page.Locator("#add-mp-secret");
        await secrets.GetByRole(AriaRole.Button, new() { Name = "Create API secret" }).ClickAsync();
        await Expect(secrets.GetByRole(AriaRole.Alert)).ToHaveTextAsync("name is required (at most 100 characters).");
        await secrets.GetByLabel("Name").FillAsync("backend");
        await secrets.GetByRole(AriaRole.Button, new() { Name = "Create API secret" }).ClickAsync();
        await Expect(page.Locator("#new-mp-secret code")).ToHaveTextAsync(SecretPattern());
        var secret = await page.Locator("#new-mp-secret code").TextContentAsync() ?? "";
        var listed = page.Locator("#mp-secrets li", new() { HasText = "backend" });
        await Expect(listed).ToContainTextAsync(secret[..6] + "…");
        await Expect(listed).Not.ToContainTextAsync(secret);
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "settings-ga4-1280.png"), FullPage = true });
        Assert.Null(await DropReasonAsync(secret));

        await listed.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(listed).ToContainTextAsync("revoked");
        Assert.Equal("invalid_api_secret", await DropReasonAsync(secret));

        // Allowed properties: a blank key is refused with Plausible's message; allowed keys are listed and removable.
        var props = page.Locator("#add-prop");
        await Expect(page.Locator("#props")).ToContainTextAsync("every property key is offered");
        await props.GetByRole(AriaRole.Button, new() { Name = "Allow property" }).ClickAsync();
        await Expect(props.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Parameter `property` is required to create a custom property");
        foreach (var key in new[] { "plan", "author" })
        {
            await props.GetByLabel("Property key").FillAsync(key);
            await props.GetByRole(AriaRole.Button, new() { Name = "Allow property" }).ClickAsync();
            await Expect(page.Locator($"#props li[data-prop='{key}']")).ToBeVisibleAsync();
        }

        await page.Locator("#props li[data-prop='author']").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.Locator("#props li")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "settings-props-1280.png"), FullPage = true });
        Assert.Equal(["plan"], (await fixture.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/sites/custom-props?site_id={Site}"))
            .GetProperty("custom_properties").EnumerateArray().Select(p => p.GetProperty("property").GetString()));

        // The Properties panel now offers the allowed key and the internal ones, and declines another.
        await page.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        var offered = await page.Locator("#prop-keys option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Equal(["plan", "url", "path", "search_query"], offered);
        await page.Locator("#prop-key").FillAsync("color");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show values" }).ClickAsync();
        await Expect(page.Locator("#body-props")).ToContainTextAsync("\"color\" is not among this site's allowed properties");
        await page.Locator("#prop-key").FillAsync("plan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show values" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator("#body-props")).Not.ToContainTextAsync("not among");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_settings_form_is_disabled_until_the_sites_values_have_arrived()
    {
        const string site = "settings-load.test";
        (await fixture.Http.PostAsJsonAsync("/api/sites", new { domain = site, timezone = "Etc/UTC", ga4_measurement_id = "G-LOADED" }))
            .EnsureSuccessStatusCode();
        var page = await fixture.OpenAsync($"?site={site}&period=day");
        if (page is null)
        {
            return;
        }

        // The site's settings are held back until the form has been looked at: typing into it before they arrive would be overwritten.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync($"**/api/sites/{site}", async route =>
        {
            held.TrySetResult();
            await release.Task;
            await route.ContinueAsync();
        });
        try
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sites & keys" }).ClickAsync();
            await held.Task.WaitAsync(TimeSpan.FromSeconds(30));

            var settings = page.Locator("#site-settings");
            await Expect(settings).ToHaveAttributeAsync("aria-busy", "true");
            await Expect(settings.GetByLabel("GA4 measurement id")).ToBeDisabledAsync();
            await Expect(settings.GetByRole(AriaRole.Button, new() { Name = "Save settings" })).ToBeDisabledAsync();

            release.SetResult();
            await Expect(settings.GetByLabel("GA4 measurement id")).ToBeEnabledAsync();
            await Expect(settings.GetByLabel("GA4 measurement id")).ToHaveValueAsync("G-LOADED");
            await DashboardFixture.WaitReadyAsync(page);
        }
        finally
        {
            release.TrySetResult();
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Choosing_another_site_with_the_settings_open_shows_that_sites_settings()
    {
        foreach (var (domain, id) in new[] { ("settings-first.test", "G-FIRSTSITE"), ("settings-second.test", "G-SECONDSITE") })
        {
            (await fixture.Http.PostAsJsonAsync("/api/sites", new { domain, timezone = "Etc/UTC", ga4_measurement_id = id })).EnsureSuccessStatusCode();
        }

        var page = await fixture.OpenAsync("?site=settings-first.test&period=day");
        if (page is null)
        {
            return;
        }

        try
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sites & keys" }).ClickAsync();
            var id = page.Locator("#site-settings").GetByLabel("GA4 measurement id");
            await Expect(id).ToHaveValueAsync("G-FIRSTSITE");
            await page.Locator("#site").SelectOptionAsync("settings-second.test");
            await Expect(id).ToHaveValueAsync("G-SECONDSITE");
            await Expect(page.Locator("#settings-title")).ToContainTextAsync("settings-second.test");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>What /mp/collect says of a page view sent with this secret: null when counted, else its drop reason.</summary>
    private async Task<string?> DropReasonAsync(string secret)
    {
        using var response = await fixture.Http.PostAsync($"/mp/collect?measurement_id=G-SETTINGSUI&api_secret={Uri.EscapeDataString(secret)}",
            new StringContent("""{"client_id":"1.2","events":[{"name":"page_view","params":{"page_location":"https://settings-ui.test/"}}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return response.Headers.TryGetValues("X-Drop-Reason", out var reasons) ? reasons.Single() : null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretPattern();
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// A new site owner's first hour, in real Chromium against a real embedded process started on an empty data directory
/// with no admin password configured: everything through the dashboard, nothing through curl. Screenshots of each
/// step at 1400, 820 and 390 px go to tests/artifacts/first-run-*.png.
/// </summary>
public sealed class FirstRunTests : IAsyncLifetime
{
    private const string Site = "mysite.test";

    /// <summary>A desktop Chrome: headless Chromium's own user agent says "HeadlessChrome", which is dropped as a bot.</summary>
    private const string DesktopChrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private static readonly int[] Widths = [1400, 820, 390];

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private AnalyticsProcess _silo = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        var chromium = RequiredServices.ChromiumAvailable();
        // No configured password: the embedded host generates one and prints it once.
        _silo = AnalyticsProcess.Embedded(Directory.CreateTempSubdirectory("analytics-first-run-").FullName,
            new Dictionary<string, string> { ["Analytics__Auth__Admin__Password"] = "" });
        await _silo.StartAsync(TimeSpan.FromSeconds(90));
        if (chromium)
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await Chromium.LaunchAsync(_playwright);
        }
    }

    [Fact]
    public async Task A_new_owner_logs_in_adds_a_site_sees_a_visit_counted_live_and_manages_keys_links_and_settings()
    {
        if (_browser is null)
        {
            return;
        }

        var (email, password) = await PrintedAdminAsync();
        var owner = await NewContextAsync(DesktopChrome);
        var page = await owner.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        // A wrong password keeps the email filled in; the printed one gets in.
        await page.GotoAsync(_silo.BaseUrl + "login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong email or password.");
        await Expect(page.GetByLabel("Email")).ToHaveValueAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/dashboard/");
        await ReadyAsync(page);

        // Add the site through the form; a bad time zone or domain is refused with the API's own words.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sites & keys" }).ClickAsync();
        var add = page.Locator("#add-site");
        await add.GetByLabel("Domain").FillAsync("not a domain");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add site" }).ClickAsync();
        await Expect(add.GetByRole(AriaRole.Alert)).ToContainTextAsync("domain must be a hostname");
        await add.GetByLabel("Domain").FillAsync(Site);
        await add.GetByLabel("Time zone").SelectOptionAsync("Etc/UTC");
        await add.GetByLabel("GA4 measurement id").FillAsync("g-firstrun1");
        await ScreenshotsAsync(page, "add-site");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add site" }).ClickAsync();

        // The snippet for the new site, and the live check waiting for its first pageview.
        await Expect(page.Locator("#site")).ToHaveValueAsync(Site);
        await Expect(page.Locator("#snippet")).ToHaveTextAsync($"<script defer data-domain=\"{Site}\" src=\"{_silo.BaseUrl.TrimEnd('/')}/js/script.js\"></script>");
        await Expect(page.Locator("#waiting")).ToContainTextAsync("Waiting for the first pageview");
        await ScreenshotsAsync(page, "waiting");

        // A headless browser's visit is dropped as a bot, and the dashboard says so for this site.
        var headless = await NewContextAsync(userAgent: null);
        await VisitSnippetPageAsync(headless, page.Locator("#snippet"));
        await Expect(page.Locator("#drops")).ToHaveTextAsync("1 beacon dropped as bot (a crawler or headless browser's user agent) in the last hour.",
            new() { Timeout = (float)Deadline.TotalMilliseconds });
        var drops = await _silo.CreateClient().GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/drops");
        Assert.Equal(1, drops.GetProperty("reasons").GetProperty("bot").GetInt64());
        await headless.CloseAsync();

        // The owner's own visit, made while logged in on the same host (the session cookie goes with the beacon), counts.
        var visit = await owner.NewPageAsync();
        await VisitSnippetPageAsync(owner, page.Locator("#snippet"), visit);
        await Expect(page.Locator("#waiting")).ToContainTextAsync("First pageview received", new() { Timeout = (float)Deadline.TotalMilliseconds });
        await ScreenshotsAsync(page, "first-pageview");
        await Expect(page.Locator(".card[data-metric=pageviews] .card-value")).ToHaveTextAsync("1", new() { Timeout = (float)Deadline.TotalMilliseconds });
        await Expect(page.Locator("#empty")).ToBeHiddenAsync();
        await visit.CloseAsync();
        await ScreenshotsAsync(page, "counted");
        // A custom range's date fields fit the header at every width.
        await page.Locator("#period").SelectOptionAsync("custom");
        await Expect(page.Locator("#from")).ToBeVisibleAsync();
        await ScreenshotsAsync(page, "custom-range");

        // An API key: shown once, works, then revoked and refused.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sites & keys" }).ClickAsync();
        var keyForm = page.Locator("#add-key");
        await keyForm.GetByLabel("Name").FillAsync("reporting");
        await keyForm.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Expect(page.Locator("#new-key code")).ToHaveTextAsync(new Regex("^ag_"));
        var key = await page.Locator("#new-key code").TextContentAsync() ?? "";
        Assert.StartsWith("ag_", key, StringComparison.Ordinal);
        await ScreenshotsAsync(page, "manage");
        Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(key));
        await page.Locator("#keys li", new() { HasText = "reporting" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.Locator("#keys li", new() { HasText = "reporting" })).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithKeyAsync(key));

        // A share link, opened by someone without a login: the public view of this one site.
        await page.Locator("#add-share").GetByLabel("Name").FillAsync("public");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create share link" }).ClickAsync();
        await Expect(page.Locator("#shares a")).ToHaveCountAsync(1);
        var link = await page.Locator("#shares a").GetAttributeAsync("href");
        Assert.StartsWith("/share/", link, StringComparison.Ordinal);
        await Expect(page.Locator("#shares .item-meta")).ToHaveTextAsync(new Regex(@"^created \d{4}-\d{2}-\d{2} \d{2}:\d{2}$"));
        var visitor = await NewContextAsync(DesktopChrome);
        var shared = await visitor.NewPageAsync();
        await shared.GotoAsync(_silo.BaseUrl.TrimEnd('/') + link);
        await ReadyAsync(shared);
        await Expect(shared.Locator("#share-note")).ToBeVisibleAsync();
        await Expect(shared.Locator("#site")).ToHaveValueAsync(Site);
        await Expect(shared.Locator(".card[data-metric=pageviews] .card-value")).ToHaveTextAsync("1");
        await Expect(shared.Locator("#manage-toggle")).ToBeHiddenAsync();
        await ScreenshotsAsync(shared, "share");
        await visitor.CloseAsync();

        // Goals: a custom event and a page with a scroll depth; a duplicate is refused with the API's reason; one removed.
        var goalForm = page.Locator("#add-goal");
        await goalForm.GetByLabel("Event name or page path").FillAsync("Signup");
        await goalForm.GetByLabel("Revenue currency (event goals, optional)").FillAsync("eur");
        await goalForm.GetByRole(AriaRole.Button, new() { Name = "Add goal" }).ClickAsync();
        await Expect(page.Locator("#goals li", new() { HasText = "Signup" })).ToContainTextAsync("revenue in EUR");
        await goalForm.GetByLabel("Page visit").CheckAsync();
        await goalForm.GetByLabel("Event name or page path").FillAsync("thanks");
        await goalForm.GetByLabel("Scroll depth % (page goals, optional)").FillAsync("50");
        await goalForm.GetByRole(AriaRole.Button, new() { Name = "Add goal" }).ClickAsync();
        await Expect(page.Locator("#goals li", new() { HasText = "Scroll 50% on /thanks" })).ToContainTextAsync("visit /thanks scrolled to 50%");
        await goalForm.GetByLabel("Event name or page path").FillAsync("Signup");
        await goalForm.GetByRole(AriaRole.Button, new() { Name = "Add goal" }).ClickAsync();
        await Expect(goalForm.GetByRole(AriaRole.Alert)).ToContainTextAsync("already has this goal");
        await ScreenshotsAsync(page, "goals");
        await page.Locator("#goals li", new() { HasText = "Scroll 50%" }).GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.Locator("#goals li")).ToHaveCountAsync(1);
        var goals = await _silo.CreateClient().GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/goals");
        Assert.Equal(["Signup"], goals.EnumerateArray().Select(g => g.GetProperty("display_name").GetString()!).ToArray());

        // A setting changed and kept: registering the same domain again is refused, never a silent reset.
        var settings = page.Locator("#site-settings");
        await settings.GetByLabel("Time zone").SelectOptionAsync("Europe/Berlin");
        await Expect(settings.GetByLabel("GA4 measurement id")).ToHaveValueAsync("G-FIRSTRUN1");
        await settings.GetByLabel("Locale").FillAsync("xx-NOWHERE-1");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(settings.GetByRole(AriaRole.Alert)).ToContainTextAsync("not a known BCP 47 locale");
        await settings.GetByLabel("Locale").FillAsync("de-DE");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(settings.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await add.GetByLabel("Domain").FillAsync(Site);
        await add.GetByRole(AriaRole.Button, new() { Name = "Add site" }).ClickAsync();
        await Expect(add.GetByRole(AriaRole.Alert)).ToContainTextAsync("already registered");
        await page.ReloadAsync();
        await ReadyAsync(page);
        await Expect(page.Locator("#range-note")).ToContainTextAsync("Europe/Berlin");
        var stored = await _silo.CreateClient().GetFromJsonAsync<JsonElement>($"/api/sites/{Site}");
        Assert.Equal("Europe/Berlin", stored.GetProperty("timezone").GetString());
        Assert.Equal("de-DE", stored.GetProperty("locale").GetString());
        Assert.Equal("G-FIRSTRUN1", stored.GetProperty("ga4_measurement_id").GetString());

        // Deleting needs the domain typed out; on the way, the share link's date is in the site's locale (de-DE: dd.mm.yy, hh:mm).
        await page.GetByRole(AriaRole.Button, new() { Name = "Sites & keys" }).ClickAsync();
        await Expect(page.Locator("#shares .item-meta")).ToHaveTextAsync(new Regex(@"^created \d{2}\.\d{2}\.\d{2}, \d{2}:\d{2}$"));
        var delete = page.Locator("#delete-site");
        await Expect(delete.GetByRole(AriaRole.Button, new() { Name = "Delete site" })).ToBeDisabledAsync();
        await delete.GetByLabel("Domain to delete").FillAsync(Site);
        await delete.GetByRole(AriaRole.Button, new() { Name = "Delete site" }).ClickAsync();
        await Expect(page.Locator("#site option", new() { HasText = Site })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.CreateClient().GetAsync($"/api/sites/{Site}")).StatusCode);

        Assert.Empty(errors);
        await owner.CloseAsync();
    }

    /// <summary>The admin account and password from the start-up block the process printed.</summary>
    private async Task<(string Email, string Password)> PrintedAdminAsync()
    {
        var lines = await Poll.UntilAsync(() => Task.FromResult(_silo.Lines()), l => l.Any(x => x.Contains("Password:", StringComparison.Ordinal)),
            Deadline, "the start-up block with the generated password");
        // The block is one log entry: several lines on a terminal, one line with the tests' single-line console format.
        string Value(string label) => lines.First(l => l.Contains(label, StringComparison.Ordinal)).Split(label, 2)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        Assert.Contains(lines, l => l.Contains($"Data directory: {_silo.DataDirectory}", StringComparison.Ordinal));
        return (Value("Admin account:"), Value("Password:"));
    }

    private async Task<IBrowserContext> NewContextAsync(string? userAgent)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1400, Height = 900 }, UserAgent = userAgent });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    /// <summary>
    /// A page of the owner's site on the dashboard's host, carrying the snippet exactly as the dashboard shows it (served
    /// by the browser's router; the tracker script and the beacon go to the real process).
    /// </summary>
    private async Task VisitSnippetPageAsync(IBrowserContext context, ILocator snippet, IPage? page = null)
    {
        var tag = await snippet.TextContentAsync();
        var path = $"{_silo.BaseUrl}owner-site/index.html";
        await context.RouteAsync(path, route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"<!doctype html><html><head><title>My site</title>{tag}</head><body><h1>Hello</h1></body></html>",
        }));
        page ??= await context.NewPageAsync();
        var beacon = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/event", StringComparison.Ordinal));
        await page.GotoAsync(path);
        Assert.Equal(202, (await beacon).Status);
    }

    private async Task<HttpStatusCode> StatusWithKeyAsync(string key)
    {
        using var http = new HttpClient { BaseAddress = _silo.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await http.PostAsJsonAsync("/api/v2/query", new { site_id = Site, metrics = new[] { "pageviews" }, date_range = "day" });
        return response.StatusCode;
    }

    private static Task ReadyAsync(IPage page) =>
        page.WaitForFunctionAsync("() => window.__dashboard && window.__dashboard.ready && !document.querySelector('[aria-busy]')");

    private static async Task ScreenshotsAsync(IPage page, string step)
    {
        foreach (var width in Widths)
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), $"first-run-{step}-{width}.png"), FullPage = true });
        }

        await page.SetViewportSizeAsync(Widths[0], 900);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        await _silo.DisposeAsync();
        Directory.Delete(_silo.DataDirectory!, recursive: true);
    }
}

using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>The dashboard in real Chromium against the real embedded process; expected values from the seed (see the fixture).</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardFixture fixture)
{
    private const string Today = $"?site={DashboardFixture.Shop}&period=day";

    [Fact]
    public async Task Cards_show_the_seeded_totals_with_change_and_current_visitors()
    {
        var page = await fixture.OpenAsync(Today);
        if (page is null)
        {
            return;
        }

        await ExpectCardsAsync(page, visitors: "4", visits: "4", pageviews: "7", viewsPerVisit: "1.75", bounceRate: "25%");

        // Sessions last well under a second, but the exact figure is the server's: check the card formats the API's value.
        var duration = (await fixture.QueryAsync($$"""{"site_id":"{{DashboardFixture.Shop}}","metrics":["visit_duration"],"date_range":"day"}"""))
            .GetProperty("results")[0].GetProperty("metrics")[0].GetDouble();
        await Expect(Card(page, "visit_duration")).ToHaveTextAsync(duration < 60 ? $"{duration}s" : $"{(int)duration / 60}m");

        // Yesterday had nothing: every count is new against the previous period of equal length.
        await Expect(page.Locator(".card[data-metric=visitors] .card-change")).ToHaveTextAsync("↑ new");
        await Expect(page.Locator("#range-note")).ToContainTextAsync("compared with");
        await Expect(page.Locator("#live")).ToHaveTextAsync("4");
        await Expect(page.Locator("#empty")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Chart_plots_hourly_points_for_a_day_and_daily_points_otherwise()
    {
        var page = await fixture.OpenAsync(Today);
        if (page is null)
        {
            return;
        }

        var visitors = await PointsAsync(page);
        Assert.Equal(24, visitors.Count);
        Assert.All(visitors, p => Assert.StartsWith(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.Label));
        Assert.InRange(visitors.Max(p => p.Value), 1, 4);
        // The library's own instance holds the same series ([x, previous, current]).
        // Hours still to come are a gap (null), not zeros.
        var plotted = await page.EvaluateAsync<double?[]>("() => Array.from(window.__dashboard.chart.plot.data[2])");
        var past = DateTime.UtcNow.Hour + 1;
        Assert.Equal(visitors.Take(past).Select(p => (double?)p.Value), plotted.Take(past));
        Assert.All(plotted.Skip(past), Assert.Null);

        // Pageviews add up across hours: the hourly points sum to the 7 seeded pageviews.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Pageviews" }).ClickAsync();
        await Expect(page.Locator("#chart")).ToHaveAttributeAsync("data-metric", "pageviews");
        Assert.Equal(7, (await PointsAsync(page)).Sum(p => p.Value));
        Assert.Contains("metric=pageviews", page.Url, StringComparison.Ordinal);

        // Last 7 days: one point per day, today's holding everything.
        await page.Locator("#period").SelectOptionAsync("7d");
        await DashboardFixture.WaitReadyAsync(page);
        var days = await PointsAsync(page);
        Assert.Equal(7, days.Count);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), days[^1].Label);
        Assert.Equal(7, days[^1].Value);
        Assert.All(days.SkipLast(1), p => Assert.Equal(0, p.Value));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Breakdown_panels_list_the_seeded_values_and_tabs_work_from_the_keyboard()
    {
        var page = await fixture.OpenAsync(Today);
        if (page is null)
        {
            return;
        }

        Assert.Equal(new[] { "/|3|3", "/blog|2|2", "/pricing|2|2" }, await RowsAsync(page, "pages"));
        Assert.Equal(new[] { "Desktop|3|3", "Mobile|1|1" }, await RowsAsync(page, "devices"));
        Assert.Equal(new[] { "Direct / None|2|2", "Google|1|1", "newsletter|1|1" }, await RowsAsync(page, "sources"));
        Assert.Equal(new[] { "Signup|1|1|25%" }, await RowsAsync(page, "goals"));

        // Keyboard: focus the selected Devices tab, arrow right → Browsers.
        await page.Locator("#tabs-devices [aria-selected=true]").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.Locator("#tabs-devices [aria-selected=true]")).ToHaveTextAsync("Browsers");
        await DashboardFixture.WaitReadyAsync(page);
        Assert.Equal(new[] { "Chrome|2|2", "Firefox|1|1", "Safari|1|1" }, await RowsAsync(page, "devices"));

        await page.Locator("#tabs-sources").GetByRole(AriaRole.Tab, new() { Name = "UTM campaign" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        Assert.Equal(new[] { "launch|1|1" }, await RowsAsync(page, "sources"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_empty_goals_panel_leads_the_owner_to_the_goal_form()
    {
        // Chrome visitors (a and d) completed no goal: the panel says what it counts and where goals are made.
        var page = await fixture.OpenAsync(Today + "&f=" + Uri.EscapeDataString("""["is","visit:browser",["Chrome"]]"""));
        if (page is null)
        {
            return;
        }

        await Expect(page.Locator("#body-goals")).ToContainTextAsync("Goals count the custom events and pages configured for the site.");
        await Expect(page.Locator("#manage")).ToBeHiddenAsync();
        await page.Locator("#body-goals").GetByRole(AriaRole.Button, new() { Name = "Add a goal" }).ClickAsync();
        await Expect(page.Locator("#goals-panel")).ToBeVisibleAsync();
        await Expect(page.Locator("#add-goal input[name=target]")).ToBeFocusedAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Clicking_rows_adds_filters_that_narrow_every_card_chart_and_panel_and_removing_a_chip_restores_it()
    {
        var page = await fixture.OpenAsync(Today);
        if (page is null)
        {
            return;
        }

        await page.Locator("#tabs-devices").GetByRole(AriaRole.Tab, new() { Name = "Browsers" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await page.Locator("#body-devices").GetByRole(AriaRole.Button, new() { Name = "Chrome", Exact = true }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);

        await Expect(page.Locator(".chip")).ToHaveCountAsync(1);
        await Expect(page.Locator(".chip")).ToContainTextAsync("Browser is Chrome");
        Assert.Contains("f=" + Uri.EscapeDataString("""["is","visit:browser",["Chrome"]]"""), page.Url, StringComparison.Ordinal);
        // Visitors a and d: 5 pageviews over 2 visits, neither bounced.
        await ExpectCardsAsync(page, visitors: "2", visits: "2", pageviews: "5", viewsPerVisit: "2.5", bounceRate: "0%");
        Assert.Equal(5, (await PointsAsync(page, "pageviews")).Sum(p => p.Value));
        Assert.Equal(new[] { "Chrome|2|2" }, await RowsAsync(page, "devices"));
        // Every other panel narrows too: the pages a and d read, their sources; no panel says it shows all traffic.
        Assert.Equal(new[] { "/|2|2", "/pricing|2|2", "/blog|1|1" }, await RowsAsync(page, "pages"));
        Assert.Equal(new[] { "Direct / None|1|1", "Google|1|1" }, await RowsAsync(page, "sources"));
        Assert.Empty(await RowsAsync(page, "goals"));
        await Expect(page.Locator("#body-goals")).ToContainTextAsync("No goal completions in this period");
        await Expect(page.GetByText("Showing all traffic")).ToHaveCountAsync(0);
        await Expect(page.GetByText("n/a with a")).ToHaveCountAsync(0);

        // A second filter from another panel: Chrome and direct is visitor d alone.
        await page.Locator("#body-sources").GetByRole(AriaRole.Button, new() { Name = "Direct / None", Exact = true }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator(".chip")).ToHaveCountAsync(2);
        await ExpectCardsAsync(page, visitors: "1", visits: "1", pageviews: "3", viewsPerVisit: "3", bounceRate: "0%");
        Assert.Equal(new[] { "/|1|1", "/blog|1|1", "/pricing|1|1" }, await RowsAsync(page, "pages"));

        // A shared link reproduces the view.
        var shared = await fixture.OpenAsync(new Uri(page.Url).Query);
        await ExpectCardsAsync(shared!, visitors: "1", visits: "1", pageviews: "3", viewsPerVisit: "3", bounceRate: "0%");
        await Expect(shared!.Locator(".chip")).ToHaveCountAsync(2);
        await shared.Context.CloseAsync();

        // Removing the browser chip leaves direct traffic: visitors b and d.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove filter Browser is Chrome" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator(".chip")).ToHaveCountAsync(1);
        await ExpectCardsAsync(page, visitors: "2", visits: "2", pageviews: "4", viewsPerVisit: "2", bounceRate: "50%");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove filter Source is Direct / None" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator(".chip")).ToHaveCountAsync(0);
        Assert.DoesNotContain("f=", page.Url, StringComparison.Ordinal);
        await ExpectCardsAsync(page, visitors: "4", visits: "4", pageviews: "7", viewsPerVisit: "1.75", bounceRate: "25%");

        // Back restores the filtered view from the URL.
        await page.GoBackAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(Card(page, "visitors")).ToHaveTextAsync("2");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_page_filter_answers_every_metric_for_the_visits_that_saw_the_page()
    {
        // The link format from before several filters still opens.
        var page = await fixture.OpenAsync(Today + "&filter=event:page&value=/pricing");
        if (page is null)
        {
            return;
        }

        await Expect(page.Locator("#error")).ToBeHiddenAsync();
        await Expect(page.Locator(".chip")).ToContainTextAsync("Page is /pricing");
        // Visits of a (2 pageviews) and d (3): 2 pageviews of /pricing, 5 pageviews in those visits.
        await ExpectCardsAsync(page, visitors: "2", visits: "2", pageviews: "2", viewsPerVisit: "2.5", bounceRate: "0%");
        await Expect(page.Locator("#chart-tabs [role=tab]")).ToHaveTextAsync(["Visitors", "Visits", "Pageviews", "Views / visit", "Bounce rate", "Visit duration"]);
        Assert.Equal(new[] { "/pricing|2|2" }, await RowsAsync(page, "pages"));
        Assert.Equal(new[] { "Desktop|2|2" }, await RowsAsync(page, "devices"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_filter_menu_offers_contains_matches_and_is_not_on_any_dimension()
    {
        var page = await fixture.OpenAsync(Today);
        if (page is null)
        {
            return;
        }

        async Task AddAsync(string dimension, string op, string value)
        {
            await page.Locator("#filter-toggle").ClickAsync();
            await page.Locator("#filter-dimension").SelectOptionAsync(dimension);
            await page.Locator("#filter-op").SelectOptionAsync(op);
            await page.Locator("#filter-value").FillAsync(value);
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();
            await DashboardFixture.WaitReadyAsync(page);
        }

        // contains ignores case: /pricing, read by a and d.
        await AddAsync("event:page", "contains", "PRIC");
        await Expect(page.Locator(".chip")).ToContainTextAsync("Page contains PRIC");
        Assert.Equal(new[] { "/pricing|2|2" }, await RowsAsync(page, "pages"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove filter Page contains PRIC" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);

        // A regular expression: /blog or /pricing, read by a, c and d.
        await AddAsync("event:page", "matches", "^/(blog|pricing)$");
        await Expect(Card(page, "visitors")).ToHaveTextAsync("3");
        Assert.Equal(new[] { "/blog|2|2", "/pricing|2|2" }, await RowsAsync(page, "pages"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "dashboard-filter-regex-1280.png"), FullPage = true });

        // And not Chrome: c alone, on her iPhone.
        await AddAsync("visit:browser", "is_not", "Chrome");
        await Expect(page.Locator(".chip")).ToHaveCountAsync(2);
        await Expect(page.Locator(".chip").Nth(1)).ToContainTextAsync("Browser is not Chrome");
        await ExpectCardsAsync(page, visitors: "1", visits: "1", pageviews: "1", viewsPerVisit: "1", bounceRate: "0%");
        Assert.Equal(new[] { "/blog|1|1" }, await RowsAsync(page, "pages"));
        Assert.Equal(new[] { "Mobile|1|1" }, await RowsAsync(page, "devices"));

        // An invalid pattern is the API's 400, shown as such.
        await AddAsync("event:page", "matches", "(unclosed");
        await Expect(page.Locator("#error")).ToContainTextAsync("is not a valid regular expression");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_properties_panel_breaks_a_picked_key_down_and_filters_by_a_value()
    {
        var page = await fixture.OpenAsync(Today);
        if (page is null)
        {
            return;
        }

        await Expect(page.Locator("#body-props")).ToContainTextAsync("Pick a custom property");
        await page.Locator("#prop-key").FillAsync("plan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show values" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator("#body-props tbody tr")).ToHaveCountAsync(2);
        // Events without the key group under (none), as Plausible shows them: every pageview of the four visitors.
        Assert.Equal(new[] { "(none)|4|7", "pro|1|1" }, await RowsAsync(page, "props"));
        Assert.Contains("prop=plan", page.Url, StringComparison.Ordinal);

        await page.Locator("#body-props").GetByRole(AriaRole.Button, new() { Name = "pro", Exact = true }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator(".chip")).ToContainTextAsync("Property plan is pro");
        await Expect(Card(page, "visitors")).ToHaveTextAsync("1");
        Assert.Equal(new[] { "Signup|1|1|25%" }, await RowsAsync(page, "goals"));
        Assert.Equal(new[] { "pro|1|1" }, await RowsAsync(page, "props"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "dashboard-properties-1280.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_panel_exports_its_rows_as_csv()
    {
        var page = await fixture.OpenAsync(Today);
        if (page is null)
        {
            return;
        }

        var pages = await DownloadAsync(page, "pages");
        Assert.Equal("page,visitors,pageviews\r\n/,3,3\r\n/blog,2,2\r\n/pricing,2,2\r\n", pages.Text);
        Assert.Matches(@"^shop\.test_event_page_\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.csv$", pages.Name);

        Assert.Equal("goal,visitors,events,conversion_rate\r\nSignup,1,1,25\r\n", (await DownloadAsync(page, "goals")).Text);

        var series = (await DownloadAsync(page, "chart")).Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(25, series.Length);
        Assert.StartsWith("time,visitors,visits,pageviews,views_per_visit,bounce_rate,visit_duration,previous_visitors", series[0], StringComparison.Ordinal);
        Assert.Equal(7, series.Skip(1).Sum(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)));
        Assert.Equal(7, await page.Locator("[data-csv]").CountAsync()); // the chart and six panels
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_site_without_events_shows_the_script_tag_to_paste()
    {
        var page = await fixture.OpenAsync($"?site={DashboardFixture.Empty}&period=30d");
        if (page is null)
        {
            return;
        }

        await Expect(page.Locator("#empty")).ToBeVisibleAsync();
        await Expect(page.Locator("#snippet")).ToHaveTextAsync(
            $"<script defer data-domain=\"{DashboardFixture.Empty}\" src=\"{fixture.Silo.BaseUrl}js/script.js\"></script>");
        await Expect(Card(page, "visitors")).ToHaveTextAsync("0");
        await Expect(page.Locator("#site")).ToHaveValueAsync(DashboardFixture.Empty);
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "dashboard-empty-1280.png"), FullPage = true });

        // Switching site from the picker goes back to data.
        await page.Locator("#site").SelectOptionAsync(DashboardFixture.Shop);
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator("#empty")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_api_error_is_shown_as_a_readable_message()
    {
        var page = await fixture.OpenAsync($"?site={DashboardFixture.Shop}&period=custom&from=2000-01-01&to=2026-01-01");
        if (page is null)
        {
            return;
        }

        await Expect(page.Locator("#error")).ToBeVisibleAsync();
        await Expect(page.Locator("#error")).ToHaveTextAsync("Could not load the dashboard: date_range spans more than 3660 days.");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1280, 800, "desktop")]
    [InlineData(375, 812, "phone")]
    public async Task Screenshots_at_desktop_and_phone_widths(int width, int height, string name)
    {
        var page = await fixture.OpenAsync(Today, width, height);
        if (page is null)
        {
            return;
        }

        // Nothing may overflow sideways, down to 375 px.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The page scrolls horizontally");
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), $"dashboard-{name}-{width}.png"), FullPage = true });

        await page.Locator("#body-pages").GetByRole(AriaRole.Button, new() { Name = "/pricing", Exact = true }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), $"dashboard-{name}-{width}-filtered.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_orleans_dashboard_is_mounted_at_orleans()
    {
        using var response = await fixture.Http.GetAsync("/orleans/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {html}");
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    private static ILocator Card(IPage page, string metric) => page.Locator($".card[data-metric={metric}] .card-value");

    private static async Task ExpectCardsAsync(IPage page, string visitors, string visits, string pageviews, string viewsPerVisit, string bounceRate)
    {
        await Expect(Card(page, "visitors")).ToHaveTextAsync(visitors);
        await Expect(Card(page, "visits")).ToHaveTextAsync(visits);
        await Expect(Card(page, "pageviews")).ToHaveTextAsync(pageviews);
        await Expect(Card(page, "views_per_visit")).ToHaveTextAsync(viewsPerVisit);
        await Expect(Card(page, "bounce_rate")).ToHaveTextAsync(bounceRate);
    }

    private sealed record Point(string Label, double Value);

    /// <summary>The chart's points as the page exposes them (#chart[data-points], the series handed to uPlot).</summary>
    private static async Task<List<Point>> PointsAsync(IPage page, string? metric = null)
    {
        if (metric is not null)
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = metric == "pageviews" ? "Pageviews" : metric }).ClickAsync();
            await Expect(page.Locator("#chart")).ToHaveAttributeAsync("data-metric", metric);
        }

        var json = await page.Locator("#chart").GetAttributeAsync("data-points") ?? "[]";
        return [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(p => new Point(p[0].GetString()!, p[1].GetDouble()))];
    }

    /// <summary>A panel's rows as "label|metric|metric", as displayed.</summary>
    private static async Task<string[]> RowsAsync(IPage page, string panel)
    {
        var rows = page.Locator($"#body-{panel} tbody tr");
        var result = new List<string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            var cells = await rows.Nth(i).Locator("th, td").AllInnerTextsAsync();
            result.Add(string.Join("|", cells.Select(c => c.Trim())));
        }

        return [.. result];
    }

    private static async Task<(string Name, string Text)> DownloadAsync(IPage page, string panel)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator($"[data-csv={panel}]").ClickAsync());
        var path = await download.PathAsync();
        return (download.SuggestedFilename, await File.ReadAllTextAsync(path));
    }
}

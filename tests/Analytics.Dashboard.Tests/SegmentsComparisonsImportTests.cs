using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// Saved segments, comparisons and imports in real Chromium against the real embedded process. shop.test holds the
/// fixture's four visitors today (a and d use Chrome: 2 visitors, 5 pageviews).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SegmentsComparisonsImportTests(DashboardFixture fixture)
{
    private const string Today = $"?site={DashboardFixture.Shop}&period=day";

    [Fact]
    public async Task A_filter_saved_as_a_segment_applies_as_a_chip_from_the_segments_menu()
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

        await page.Locator("#segments-toggle").ClickAsync();
        await page.Locator("#segment-name").FillAsync("Chrome users");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save segment" }).ClickAsync();
        var saved = page.Locator("#segments li", new() { HasText = "Chrome users" });
        await Expect(saved).ToHaveCountAsync(1);
        var id = await saved.GetAttributeAsync("data-segment");

        // The API keeps it with the filter it was saved from.
        var listed = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/sites/{DashboardFixture.Shop}/segments");
        var segment = listed.EnumerateArray().Single(s => s.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture) == id);
        Assert.Equal("""[["is","visit:browser",["Chrome"]]]""", segment.GetProperty("segment_data").GetProperty("filters").GetRawText());

        // Back to all traffic, then the segment alone: a and d again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove filter Browser is Chrome" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(Card(page, "visitors")).ToHaveTextAsync("4");
        await page.Locator("#segments-toggle").ClickAsync();
        await page.Locator("#segments").GetByRole(AriaRole.Button, new() { Name = "Chrome users", Exact = true }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator(".chip")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Segment Chrome users"));
        await Expect(Card(page, "visitors")).ToHaveTextAsync("2");
        await Expect(Card(page, "pageviews")).ToHaveTextAsync("5");
        Assert.Contains("f=" + Uri.EscapeDataString($"""["is","segment",["{id}"]]"""), page.Url, StringComparison.Ordinal);
        Assert.Equal(new[] { "/|2|2", "/pricing|2|2", "/blog|1|1" }, await RowsAsync(page, "pages"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "dashboard-segment-applied-1280.png"), FullPage = true });

        // The URL alone reproduces the view.
        var shared = await fixture.OpenAsync(new Uri(page.Url).Query);
        await Expect(Card(shared!, "visitors")).ToHaveTextAsync("2");
        await Expect(shared!.Locator(".chip")).ToContainTextAsync("Chrome users");
        await shared.Context.CloseAsync();

        // Deleted from the menu, it is gone from the API.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove filter Segment Chrome users" }).ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await page.Locator("#segments-toggle").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete segment Chrome users" }).ClickAsync();
        await Expect(page.Locator("#segments li", new() { HasText = "Chrome users" })).ToHaveCountAsync(0);
        Assert.DoesNotContain((await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/sites/{DashboardFixture.Shop}/segments")).EnumerateArray(),
            s => s.GetProperty("name").GetString() == "Chrome users");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Comparisons_show_the_change_and_the_compared_series_for_each_mode()
    {
        var page = await fixture.OpenAsync(Today);
        if (page is null)
        {
            return;
        }

        // Previous period (the default): yesterday had nothing, so every count is new and the dashed line is flat.
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Expect(page.Locator(".card[data-metric=visitors] .card-change")).ToHaveTextAsync("↑ new");
        await Expect(page.Locator("#range-note")).ToContainTextAsync($"compared with {yesterday} (previous period)");
        await Expect(page.Locator("#legend-prev")).ToHaveTextAsync("Previous period");
        Assert.All(await PreviousAsync(page), v => Assert.Equal(0, v));
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "dashboard-compare-previous-1280.png"), FullPage = true });

        // Year over year: the same day a year ago, in the URL.
        await page.Locator("#comparison").SelectOptionAsync("year_over_year");
        await DashboardFixture.WaitReadyAsync(page);
        var lastYear = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Expect(page.Locator("#range-note")).ToContainTextAsync($"compared with {lastYear} (year over year)");
        Assert.Contains("comparison=year_over_year", page.Url, StringComparison.Ordinal);

        // A custom range: today against itself changes nothing, and the compared line lies on the current one.
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.Locator("#comparison").SelectOptionAsync("custom");
        await page.Locator("#compare-from").FillAsync(today);
        await page.Locator("#compare-to").FillAsync(today);
        await page.Locator("#compare-apply").ClickAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator(".card[data-metric=visitors] .card-change")).ToHaveTextAsync("no change");
        await Expect(page.Locator(".card[data-metric=pageviews] .card-change")).ToHaveAttributeAsync("title", "Custom comparison: 7");
        var points = JsonDocument.Parse(await page.Locator("#chart").GetAttributeAsync("data-points") ?? "[]").RootElement.EnumerateArray().Select(p => p[1].GetDouble()).ToList();
        Assert.Equal(points, await PreviousAsync(page));
        Assert.True(points.Sum() >= 4, string.Join(",", points));
        Assert.Contains($"compare_from={today}", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "dashboard-compare-custom-1280.png"), FullPage = true });

        // None: no change on the cards, no dashed line.
        await page.Locator("#comparison").SelectOptionAsync("off");
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator(".card-change")).ToHaveCountAsync(0);
        await Expect(page.Locator("#legend-prev")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_Plausible_export_uploaded_in_the_import_view_shows_with_imported_data()
    {
        const string site = "imported.test";
        (await fixture.Http.PostAsJsonAsync("/api/sites", new { domain = site, timezone = "Etc/UTC" })).EnsureSuccessStatusCode();
        var page = await fixture.OpenAsync($"?site={site}&period=7d");
        if (page is null)
        {
            return;
        }

        await page.Locator("#imports-toggle").ClickAsync();
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "plausible-export.zip", MimeType = "application/zip", Buffer = Export() });
        await page.Locator("#import-form").GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        var job = page.Locator(".import-job");
        await Expect(job).ToHaveAttributeAsync("data-status", "completed");
        await Expect(job.Locator(".import-counts")).ToHaveTextAsync("2 of 2 rows imported, 1 skipped");
        await Expect(job.Locator("details")).ToContainTextAsync("line 4: visitors 'many' is not a whole number");
        await DashboardFixture.WaitReadyAsync(page);

        // Two imported days: 15 visitors, 18 visits, 38 pageviews, 5 of 18 visits bounced (28 %).
        await Expect(Card(page, "visitors")).ToHaveTextAsync("15");
        await Expect(Card(page, "pageviews")).ToHaveTextAsync("38");
        await Expect(Card(page, "bounce_rate")).ToHaveTextAsync("28%");
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "dashboard-import-1280.png"), FullPage = true });

        // Without imported data: nothing was tracked on the site.
        await page.Locator("#with-imported").UncheckAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(Card(page, "visitors")).ToHaveTextAsync("0");
        Assert.Contains("imported=false", page.Url, StringComparison.Ordinal);

        // Uploading the same export again is the same import: still one job, the same numbers.
        await page.Locator("#with-imported").CheckAsync();
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "plausible-export.zip", MimeType = "application/zip", Buffer = Export() });
        var import = page.Locator("#import-form").GetByRole(AriaRole.Button, new() { Name = "Import" });
        await import.ClickAsync();
        // The button is disabled while the upload runs: the next file is chosen only once it is done.
        await Expect(import).ToBeEnabledAsync();
        await DashboardFixture.WaitReadyAsync(page);
        await Expect(page.Locator(".import-job")).ToHaveCountAsync(1);
        await Expect(Card(page, "visitors")).ToHaveTextAsync("15");

        // A file that is no export: the API's reason under the form.
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "notes.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("a,b\n") });
        await page.Locator("#import-form").GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Expect(page.Locator("#import-form .form-error")).ToContainTextAsync("No Plausible export file found");
        await page.Context.CloseAsync();
    }

    /// <summary>imported_visitors for the two days before today: 10 + 5 visitors, 12 + 6 visits, 4 + 1 bounces, 30 + 8 pageviews; one bad row.</summary>
    private static byte[] Export()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (day1, day2) = (today.AddDays(-2), today.AddDays(-1));
        string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry($"imported_visitors_{day1:yyyyMMdd}_{day2:yyyyMMdd}.csv").Open(), new UTF8Encoding(false));
            writer.Write($"date,visitors,pageviews,bounces,visits,visit_duration\n{Iso(day1)},10,30,4,12,600\n{Iso(day2)},5,8,1,6,120\n{Iso(day2)},many,1,1,1,1\n");
        }

        return buffer.ToArray();
    }

    private static ILocator Card(IPage page, string metric) => page.Locator($".card[data-metric={metric}] .card-value");

    private static async Task<List<double>> PreviousAsync(IPage page) =>
        [.. JsonDocument.Parse(await page.Locator("#chart").GetAttributeAsync("data-previous") ?? "[]").RootElement.EnumerateArray()
            .Select(p => p.ValueKind == JsonValueKind.Null ? double.NaN : p.GetDouble())];

    private static async Task<string[]> RowsAsync(IPage page, string panel) =>
        [.. await page.Locator($"#body-{panel} tbody tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => [r.dataset.value, ...[...r.querySelectorAll('td')].map(td => td.textContent)].join('|'))")];
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// "Export CSV" on a public share page, in real Chromium: values anyone can send in a beacon (goal names here) that a
/// spreadsheet would run as formulas leave as text, escaped exactly as the server's own export escapes them.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class CsvEscapingTests(DashboardFixture fixture)
{
    private const string Site = "formulas.test";

    private static readonly string[] Hostile = ["=HYPERLINK(\"https://evil.example\",\"x\")", "@SUM(1+1)", "+1+1", "-2+3", "=1,2"];

    [Fact]
    public async Task The_dashboards_csv_escapes_formulas_like_the_servers_export()
    {
        (await fixture.Http.PostAsJsonAsync("/api/sites", new { domain = Site, timezone = "Etc/UTC" })).EnsureSuccessStatusCode();
        foreach (var name in Hostile)
        {
            // Each hostile name is a configured goal, so the Goals panel (configured goals only) lists it.
            (await fixture.Http.PostAsJsonAsync($"/api/sites/{Site}/goals", new { event_name = name })).EnsureSuccessStatusCode();
            var body = JsonSerializer.Serialize(new Dictionary<string, object?> { ["n"] = name, ["u"] = $"https://{Site}/", ["d"] = Site, ["v"] = "visitor-f" });
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/event") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
            request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0");
            using var response = await fixture.Http.SendAsync(request);
            Assert.False(response.Headers.Contains("X-Drop-Reason"), name);
        }

        await Poll.UntilAsync(
            async () => (await fixture.QueryAsync($$"""{"site_id":"{{Site}}","metrics":["events"],"date_range":"day","dimensions":["event:goal"]}""")).GetProperty("results").GetArrayLength(),
            n => n == Hostile.Length, TimeSpan.FromSeconds(30), $"{Hostile.Length} goals on {Site}");

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var server = await fixture.Http.GetStringAsync($"/api/sites/{Site}/export/events.csv?from={today}&to={today}");

        using var created = await fixture.Http.PostAsJsonAsync($"/api/sites/{Site}/shared-links", new { name = "public" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var slug = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!;
        var page = await fixture.OpenSharedAsync(slug, "?period=day");
        if (page is null)
        {
            return;
        }

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-csv=goals]").ClickAsync());
        var dashboard = await File.ReadAllTextAsync(await download.PathAsync());
        var cells = dashboard.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(FirstCell).ToList();
        Assert.Equal(Hostile.Length, cells.Count);
        foreach (var cell in cells)
        {
            // Never a formula: the first character a spreadsheet sees (inside quotes too) is not = + - @.
            Assert.DoesNotMatch("^\"?[=+\\-@]", cell);
            // The one rule: the server's export wrote the same value the same way.
            Assert.Contains("," + cell + ",", server, StringComparison.Ordinal);
        }

        await page.Context.CloseAsync();
    }

    /// <summary>The first CSV cell of a line, kept escaped as written (quotes and all).</summary>
    private static string FirstCell(string line)
    {
        if (!line.StartsWith('"'))
        {
            return line[..line.IndexOf(',', StringComparison.Ordinal)];
        }

        var i = 1;
        while (i < line.Length && !(line[i] == '"' && (i + 1 == line.Length || line[i + 1] != '"')))
        {
            i += line[i] == '"' ? 2 : 1;
        }

        return line[..(i + 1)];
    }
}

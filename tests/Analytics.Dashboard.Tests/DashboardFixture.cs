using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// One real embedded process with two sites, "shop.test" seeded with known events and "empty.test" with none, and one
/// headless Chromium. The expected numbers in the tests are worked out by hand from <see cref="SeedAsync"/>.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Shop = "shop.test";
    public const string Empty = "empty.test";

    private const string ChromeWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private const string FirefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
    private const string SafariIphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

    private static readonly TimeSpan IngestDeadline = TimeSpan.FromSeconds(30);

    private IPlaywright? _playwright;

    public AnalyticsProcess Silo { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IBrowser? Browser { get; private set; }

    public async Task InitializeAsync()
    {
        // Fail (or skip) on a missing browser before paying for a silo start.
        var chromium = RequiredServices.ChromiumAvailable();
        Silo = AnalyticsProcess.Embedded(Directory.CreateTempSubdirectory("analytics-dashboard-tests-").FullName);
        await Silo.StartAsync(TimeSpan.FromSeconds(90));
        Http = Silo.CreateClient();
        await SeedAsync();
        if (chromium)
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await Chromium.LaunchAsync(_playwright);
        }
    }

    /// <summary>
    /// Four visitors (one visit each) on shop.test, identified by the tracker's cookie id "v" (visitor-a … visitor-d):
    /// a: Chrome/Windows, from Google: / then /pricing.           (2 pageviews)
    /// b: Firefox/Linux, direct: /.                                (1 pageview, bounces)
    /// c: Safari/iPhone, utm newsletter/email/launch: /blog, then a "Signup" custom event with props {plan: pro}. (1 pageview)
    /// d: Chrome/Windows, direct: /pricing, /, /blog.              (3 pageviews)
    /// </summary>
    private async Task SeedAsync()
    {
        foreach (var domain in new[] { Shop, Empty })
        {
            (await Http.PostAsJsonAsync("/api/sites", new { domain, timezone = "Etc/UTC" })).EnsureSuccessStatusCode();
        }

        // The shop's one goal: its Goals panel lists configured goals only.
        (await Http.PostAsJsonAsync($"/api/sites/{Shop}/goals", new { event_name = "Signup" })).EnsureSuccessStatusCode();

        await SendAsync(ChromeWindows, "pageview", "/", "visitor-a", referrer: "https://www.google.com/search?q=shop");
        await SendAsync(ChromeWindows, "pageview", "/pricing", "visitor-a");
        await SendAsync(FirefoxLinux, "pageview", "/", "visitor-b");
        await SendAsync(SafariIphone, "pageview", "/blog?utm_source=newsletter&utm_medium=email&utm_campaign=launch", "visitor-c", width: 390);
        await SendAsync(SafariIphone, "Signup", "/blog", "visitor-c", width: 390, props: """{"plan":"pro"}""");
        await SendAsync(ChromeWindows, "pageview", "/pricing", "visitor-d");
        await SendAsync(ChromeWindows, "pageview", "/", "visitor-d");
        await SendAsync(ChromeWindows, "pageview", "/blog", "visitor-d");

        // Ingestion is asynchronous (event log → grains → buckets): poll the public API until every event counts.
        var deadline = DateTime.UtcNow + IngestDeadline;
        while (true)
        {
            var totals = await QueryAsync($$"""{"site_id":"{{Shop}}","metrics":["visitors","pageviews"],"date_range":"day"}""");
            var goals = await QueryAsync($$"""{"site_id":"{{Shop}}","metrics":["events"],"date_range":"day","dimensions":["event:goal"]}""");
            var metrics = totals.GetProperty("results")[0].GetProperty("metrics");
            if (metrics[0].GetDouble() == 4 && metrics[1].GetDouble() == 7 && goals.GetProperty("results").GetArrayLength() == 1)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The seeded events were not all counted within {IngestDeadline.TotalSeconds}s: {totals}\n{Silo.Output}");
            }

            await Task.Delay(100);
        }
    }

    private async Task SendAsync(string userAgent, string name, string path, string visitor, string? referrer = null, int width = 1366, string? props = null)
    {
        // As the tracker sends them: props ("p") a JSON object in a string.
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["n"] = name, ["u"] = $"https://{Shop}{path}", ["d"] = Shop, ["r"] = referrer, ["w"] = width, ["v"] = visitor, ["p"] = props,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/event") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Drop-Reason"), $"{name} {path} was dropped: {string.Join(",", response.Headers.TryGetValues("X-Drop-Reason", out var r) ? r : [])}");
    }

    /// <summary>A beacon as the tracker posts it, from a Chrome whose version names the visitor (so each is their own); it must be counted, not dropped.</summary>
    public async Task PostBeaconAsync(IDictionary<string, object?> body, string visitor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/event") { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "text/plain") };
        request.Headers.TryAddWithoutValidation("User-Agent", $"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.{visitor}.0 Safari/537.36");
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Drop-Reason"));
    }

    /// <summary>Each row of a panel's table as shown, its cells joined by "|".</summary>
    public static async Task<List<string>> PanelRowsAsync(IPage page, string panel)
    {
        var rows = page.Locator($"#body-{panel} tbody tr");
        var result = new List<string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            result.Add(string.Join("|", (await rows.Nth(i).Locator("th, td").AllInnerTextsAsync()).Select(c => c.Trim())));
        }

        return result;
    }

    public async Task<JsonElement> QueryAsync(string json)
    {
        using var response = await Http.PostAsync("/api/v2/query", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A fresh browser context on the dashboard (logged in through the login page), or null when Chromium is absent and not required.</summary>
    public Task<IPage?> OpenAsync(string query, int width = 1280, int height = 800) =>
        OpenAtAsync(page => Chromium.LogInAsync(page, Silo.BaseUrl, $"/dashboard/{query}"), width, height);

    /// <summary>A fresh browser context on a share link's public view: no login.</summary>
    public Task<IPage?> OpenSharedAsync(string slug, string query) =>
        OpenAtAsync(page => page.GotoAsync($"{Silo.BaseUrl}share/{slug}{query}"), 1280, 800);

    private async Task<IPage?> OpenAtAsync(Func<IPage, Task> navigate, int width, int height)
    {
        if (Browser is null)
        {
            return null;
        }

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await navigate(page);
        await WaitReadyAsync(page);
        Assert.Empty(errors);
        return page;
    }

    /// <summary>Waits until the page finished its current load (cards, chart and every panel).</summary>
    public static Task WaitReadyAsync(IPage page) =>
        page.WaitForFunctionAsync("() => window.__dashboard && window.__dashboard.ready && !document.querySelector('[aria-busy]')");

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
            Directory.Delete(Silo.DataDirectory!, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}

using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Analytics.Browser.Tests;

/// <summary>
/// The real product (one embedded process) with a site whose GA4 measurement id is <see cref="MeasurementId"/>, a page
/// host on another loopback port serving pages that load <see cref="Ga4SenderPackage"/> pointed at the product's
/// /g/collect, and one headless Chromium.
/// </summary>
public sealed class Ga4SenderFixture : IAsyncLifetime
{
    public const string Site = "ga4-browser.test";
    public const string MeasurementId = "G-BROWSER01";

    private IPlaywright? _playwright;
    private WebApplication? _pages;

    public AnalyticsProcess Product { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IBrowser? Browser { get; private set; }

    public string PagesUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var chromium = RequiredServices.ChromiumAvailable();
        Product = AnalyticsProcess.Embedded(Directory.CreateTempSubdirectory("analytics-ga4-browser-").FullName);
        await Product.StartAsync(TimeSpan.FromSeconds(90));
        Http = Product.CreateClient();
        (await Http.PostAsJsonAsync("/api/sites", new { domain = Site, timezone = "Etc/UTC", ga4_measurement_id = MeasurementId })).EnsureSuccessStatusCode();

        var script = await Ga4SenderPackage.ScriptAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _pages = builder.Build();
        _pages.MapGet("/ga4.js", () => Results.Content(script, "application/javascript"));
        _pages.MapGet("/p/{**path}", (string path) => Results.Content(Page(path), "text/html; charset=utf-8"));
        await _pages.StartAsync();
        PagesUrl = _pages.Urls.Single().TrimEnd('/');

        if (chromium)
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await Chromium.LaunchAsync(_playwright);
        }
    }

    /// <summary>The package's documented setup: tracking id, auto-tracking, a global track(), and our endpoint.</summary>
    private string Page(string path) => $$"""
        <!doctype html>
        <html><head><title>Page {{path}}</title>
        <script>window.minimalAnalytics = { trackingId: '{{MeasurementId}}', autoTrack: true, defineGlobal: true, analyticsEndpoint: '{{Product.BaseUrl}}g/collect' };</script>
        <script src="/ga4.js"></script>
        </head>
        <body><h1>{{path}}</h1><div style="height: 4000px">tall</div><a id="next" href="/p/guide">Guide</a></body></html>
        """;

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_pages is not null)
        {
            await _pages.DisposeAsync();
        }

        Http?.Dispose();
        await Product.DisposeAsync();
    }
}

using Microsoft.Playwright;

namespace Analytics.Browser.Tests;

/// <summary>One Kestrel site and one headless Chromium shared by the browser tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const int ScreenWidth = 1366;

    // Records every beacon the page issues, in order, before the tracker can run.
    private const string RecordSends = """
        window.__sent = [];
        (() => {
          const beacon = navigator.sendBeacon && navigator.sendBeacon.bind(navigator);
          if (beacon) navigator.sendBeacon = (url, data) => { window.__sent.push(data); return beacon(url, data); };
          const fetchOriginal = window.fetch.bind(window);
          window.fetch = (url, options) => { if (options && options.keepalive) window.__sent.push(options.body); return fetchOriginal(url, options); };
        })();
        """;

    private IPlaywright? _playwright;

    public TestSite Site { get; } = new();

    public IBrowser? Browser { get; private set; }

    public async Task InitializeAsync()
    {
        await Site.StartAsync();
        if (!RequiredServices.ChromiumAvailable())
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        // Outbound links point at a second host name; map it to loopback so nothing leaves the machine.
        Browser = await Chromium.LaunchAsync(_playwright, $"--host-resolver-rules=MAP {TestSite.OutboundHost} 127.0.0.1");
    }

    /// <summary>A fresh context, or null when Chromium is absent and not required (the test then returns).</summary>
    public async Task<BrowserSession?> OpenAsync(params string[] initScripts)
    {
        if (Browser is null)
        {
            return null;
        }

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = ScreenWidth, Height = 768 },
            ScreenSize = new ScreenSize { Width = ScreenWidth, Height = 768 },
            // Headless Chromium names itself "HeadlessChrome", which the grid rightly drops as a bot; pages here stand for people.
            UserAgent = $"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{Browser.Version} Safari/537.36",
        });
        foreach (var script in initScripts)
        {
            await context.AddInitScriptAsync(script);
        }

        await context.AddInitScriptAsync(RecordSends);
        var page = await context.NewPageAsync();
        return new BrowserSession(Site, context, page, Guid.NewGuid().ToString("N")[..10]);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Site.DisposeAsync();
    }
}

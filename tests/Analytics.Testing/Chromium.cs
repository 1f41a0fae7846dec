using Microsoft.Playwright;

namespace Analytics.Testing;

/// <summary>Debian's Chromium driven by Playwright's bundled driver: no `playwright install`, no browser download.</summary>
public static class Chromium
{
    /// <summary>Without the background-networking flags Chromium keeps dialling out, which this closed network refuses.</summary>
    public static readonly IReadOnlyList<string> Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-quic", "--disable-sync",
    ];

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = RequiredServices.ChromiumPath,
            Headless = true,
            Args = [.. Args, .. extraArgs],
        });
}

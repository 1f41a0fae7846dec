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

    /// <summary>
    /// Logs in through the real login page as <see cref="TestCredentials.AdminEmail"/> and waits until the browser is on
    /// <paramref name="returnPath"/> (a path on <paramref name="baseUrl"/>, query included).
    /// </summary>
    public static async Task LogInAsync(IPage page, string baseUrl, string returnPath)
    {
        await page.GotoAsync($"{baseUrl.TrimEnd('/')}/login?ReturnUrl={Uri.EscapeDataString(returnPath)}");
        await page.GetByLabel("Email").FillAsync(TestCredentials.AdminEmail);
        await page.GetByLabel("Password").FillAsync(TestCredentials.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath != "/login");
    }
}

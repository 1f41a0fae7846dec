using Microsoft.Playwright;

namespace Analytics.Testing;

/// <summary>
/// Decides what happens when Chromium is missing: CI sets ANALYTICS_REQUIRE_SERVICES=1 and must
/// fail loudly; a developer without Chromium gets an early return instead of a red suite.
/// </summary>
public static class RequiredServices
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static bool Required => Environment.GetEnvironmentVariable("ANALYTICS_REQUIRE_SERVICES") == "1";

    public static bool ChromiumAvailable()
    {
        if (File.Exists(ChromiumPath))
        {
            return true;
        }

        if (Required)
        {
            throw new InvalidOperationException(
                $"Chromium is required (ANALYTICS_REQUIRE_SERVICES=1) but {ChromiumPath} does not exist. "
                + "Install it with: apt-get update && apt-get install -y chromium");
        }

        return false;
    }
}

/// <summary>Debian's Chromium driven by Playwright's bundled driver: no `playwright install`, no browser download.</summary>
public static class Chromium
{
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

public static class RepoPaths
{
    /// <summary>The repo root, found by walking up from the test binaries to Analytics.sln.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Analytics.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    /// <summary>tests/artifacts under the repo root (gitignored).</summary>
    public static string Artifacts()
    {
        var artifacts = Path.Combine(Root(), "tests", "artifacts");
        Directory.CreateDirectory(artifacts);
        return artifacts;
    }
}

using System.Diagnostics;

namespace Analytics.Browser.Tests;

/// <summary>
/// @minimal-analytics/ga4 from npm, unchanged: an independent implementation of GA4's web tag protocol (the /g/collect
/// hits gtag.js sends), whose collection endpoint can be pointed at a server. Google's own gtag.js is served only by
/// Google, which these machines cannot reach. Installed once under .services/npm by npm itself.
/// </summary>
public static class Ga4SenderPackage
{
    public const string Name = "@minimal-analytics/ga4";
    public const string Version = "1.8.7";

    private static readonly SemaphoreSlim Install = new(1, 1);

    /// <summary>The package's browser script (dist/index.js).</summary>
    public static async Task<string> ScriptAsync()
    {
        var prefix = Path.Combine(RepoPaths.Root, ".services", "npm", "minimal-analytics-ga4-" + Version);
        var script = Path.Combine(prefix, "node_modules", "@minimal-analytics", "ga4", "dist", "index.js");
        await Install.WaitAsync();
        try
        {
            if (!File.Exists(script))
            {
                await NpmInstallAsync(prefix);
            }
        }
        finally
        {
            Install.Release();
        }

        return await File.ReadAllTextAsync(script);
    }

    private static async Task NpmInstallAsync(string prefix)
    {
        Directory.CreateDirectory(prefix);
        var npm = new ProcessStartInfo("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", $"{Name}@{Version}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(npm) ?? throw new InvalidOperationException("npm could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm install {Name}@{Version} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }
}

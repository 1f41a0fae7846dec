namespace Analytics.Testing;

/// <summary>
/// What an integration test does when its real server (or browser) is missing: CI sets ANALYTICS_REQUIRE_SERVICES=1
/// and the test fails with how to start it; a developer without it gets an early return, visibly reported.
/// </summary>
public static class RequiredServices
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static bool Required => Environment.GetEnvironmentVariable("ANALYTICS_REQUIRE_SERVICES") == "1";

    /// <summary>True when available; false (not required) or an exception (required) when not.</summary>
    public static bool Check(string service, bool available, string howToGetIt)
    {
        if (available)
        {
            return true;
        }

        var message = $"{service} is not available. {howToGetIt}";
        if (Required)
        {
            throw new InvalidOperationException($"{message} (ANALYTICS_REQUIRE_SERVICES=1: integration tests must not skip.)");
        }

        Console.Error.WriteLine($"NOT RUN: {message}");
        return false;
    }

    public static bool ChromiumAvailable() =>
        Check("Chromium", File.Exists(ChromiumPath), "Install it with: apt-get update && apt-get install -y chromium");
}

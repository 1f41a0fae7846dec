namespace Analytics.Browser.Tests;

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

namespace Analytics.Cassandra.Tests.Support;

/// <summary>
/// Gate for tests that need a real server. Unreachable server: with ANALYTICS_REQUIRE_SERVICES=1 (CI)
/// the test fails with the reason; otherwise it returns false and the test ends early as not applicable.
/// </summary>
public static class RequiresServices
{
    public static bool Required => Environment.GetEnvironmentVariable("ANALYTICS_REQUIRE_SERVICES") == "1";

    public static bool Cassandra(CassandraFixture fixture)
    {
        if (fixture.Unavailable is null)
        {
            return true;
        }
        if (Required)
        {
            Assert.Fail($"{fixture.Unavailable} ANALYTICS_REQUIRE_SERVICES=1 demands it: run 'bash scripts/services.sh up cassandra'.");
        }
        Console.Error.WriteLine($"not applicable: {fixture.Unavailable} Set ANALYTICS_REQUIRE_SERVICES=1 to make this a failure.");
        return false;
    }
}

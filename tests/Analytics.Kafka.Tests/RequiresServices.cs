using System.Net.Sockets;

namespace Analytics.Kafka.Tests;

/// <summary>
/// Gate for tests against the real servers from scripts/services.sh. When a server is unreachable
/// the test returns early, unless ANALYTICS_REQUIRE_SERVICES=1 (CI), where it fails instead.
/// </summary>
public static class RequiresServices
{
    /// <summary>KAFKA_BOOTSTRAP, else 127.0.0.1:KAFKA_PORT (9092): see <see cref="ServiceEndpoints"/>.</summary>
    public static string KafkaBootstrap => ServiceEndpoints.KafkaBootstrap;

    private static bool Required => Environment.GetEnvironmentVariable("ANALYTICS_REQUIRE_SERVICES") == "1";

    /// <summary>True when Kafka answers; false (test returns early) or a failure when it does not.</summary>
    public static bool Kafka()
    {
        var first = KafkaBootstrap.Split(',')[0];
        var colon = first.LastIndexOf(':');
        var host = first[..colon];
        var port = int.Parse(first[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (CanConnect(host, port))
        {
            return true;
        }
        if (Required)
        {
            Assert.Fail($"Kafka is not reachable at {KafkaBootstrap} but ANALYTICS_REQUIRE_SERVICES=1: run `bash scripts/services.sh up kafka` first.");
        }
        return false;
    }

    private static bool CanConnect(string host, int port)
    {
        using var client = new TcpClient();
        try
        {
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
    }
}

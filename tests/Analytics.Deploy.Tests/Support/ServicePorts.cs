using System.Net.Sockets;
using Analytics.Testing;

namespace Analytics.Deploy.Tests.Support;

/// <summary>The loopback servers scripts/services.sh starts, on the ports it was told (the same env variables).</summary>
public static class ServicePorts
{
    public static int Redis => Port("REDIS_PORT", 6379);
    public static int Kafka => Port("KAFKA_PORT", 9092);
    public static int Cassandra => Port("CASSANDRA_PORT", 9042);
    public static int KafkaPartitions => Port("KAFKA_PARTITIONS", 8);

    public const string HaproxyPath = "/usr/sbin/haproxy";

    public static bool RedisAvailable() =>
        RequiredServices.Check("Redis", Listening(Redis), $"Start it with: bash scripts/services.sh up redis (REDIS_PORT={Redis}).");

    public static bool ClusterServicesAvailable() =>
        RequiredServices.Check("Redis, Kafka and Cassandra", Listening(Redis) && Listening(Kafka) && Listening(Cassandra),
            $"Start them with: bash scripts/services.sh up (REDIS_PORT={Redis}, KAFKA_PORT={Kafka}, CASSANDRA_PORT={Cassandra}).")
        && RequiredServices.Check("HAProxy", File.Exists(HaproxyPath), "Install it with: bash scripts/setup.sh (apt-get install -y haproxy).");

    public static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(1)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var port) ? port : fallback;
}

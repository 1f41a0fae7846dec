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
    private readonly List<AnalyticsProcess> _analytics = [];
    private ChildProcess? _haproxy;

    public bool Available { get; private set; }

    public string ProxyUrl { get; private set; } = "";

    public IReadOnlyList<AnalyticsProcess> Gateways { get; private set; } = [];

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];

    public async Task InitializeAsync()
    {
        if (!ServicePorts.ClusterServicesAvailable())
        {
            return;
        }

        var cluster = new ClusterSettings
        {
            ClusterId = "c5-" + RunId,
            Topic = "analytics-events",
            PartitionCount = ServicePorts.KafkaPartitions,
            // A fresh group per run: it starts at the earliest offsets, so nothing produced before it joined is missed.
            ConsumerGroupId = "c5-tests-" + RunId,
            Keyspace = "analytics_cluster_tests",
            KafkaBootstrap = $"127.0.0.1:{ServicePorts.Kafka}",
            Redis = $"127.0.0.1:{ServicePorts.Redis}",
            CassandraContactPoint = $"127.0.0.1:{ServicePorts.Cassandra}",
        };
        var common = new Dictionary<string, string>
        {
            ["Analytics__Cluster__ServiceId"] = "analytics-cluster-tests",
            ["Analytics__Cache__KeyPrefix"] = $"analytics-test:{RunId}:",
            ["Logging__LogLevel__Default"] = "Warning",
        };

        var silo = Track(AnalyticsProcess.ClusterSilo(cluster, settings: new Dictionary<string, string>(common)
        {
        }));
        await silo.StartAsync(TimeSpan.FromSeconds(90));

        var gateways = Enumerable.Range(1, 2).Select(i => Track(AnalyticsProcess.Gateway(cluster, $"gateway{i}", new Dictionary<string, string>(common)
        {
            ["Analytics__Ingestion__TrustedProxies__0"] = ProxySource,
        }))).ToList();
        await Task.WhenAll(gateways.Select(g => g.StartAsync()));

        Gateways = gateways;
        ProxyUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var config = Path.Combine(RepoPaths.Root, "deploy", "haproxy", "haproxy.cfg");
        _haproxy = ChildProcess.Start("haproxy", ServicePorts.HaproxyPath, ["-f", config], RepoPaths.Root, new Dictionary<string, string>
        {
            ["AG_BIND"] = new Uri(ProxyUrl).Authority,
            ["AG_GATEWAY_1"] = gateways[0].BaseAddress.Authority,
            ["AG_GATEWAY_2"] = gateways[1].BaseAddress.Authority,
            ["AG_SOURCE"] = ProxySource,
        });
        await _haproxy.WaitHealthyAsync(new Uri(ProxyUrl + "/health"), TimeSpan.FromSeconds(20));
        Available = true;
    }

    public string Logs()
    {
        var outputs = _analytics.Select(p => (p.Name, p.Output)).ToList();
        if (_haproxy is not null)
        {
            outputs.Add((_haproxy.Name, _haproxy.Output));
        }

        return string.Join("\n", outputs.Select(p => $"--- {p.Name} ---\n{Tail(p.Output)}"));
    }

    public async Task DisposeAsync()
    {
        // HAProxy first, then gateways, then the silo: the reverse of the start order.
        if (_haproxy is not null)
        {
            await _haproxy.DisposeAsync();
        }

        for (var i = _analytics.Count - 1; i >= 0; i--)
        {
            await _analytics[i].DisposeAsync();
        }
    }

    private AnalyticsProcess Track(AnalyticsProcess process)
    {
        _analytics.Add(process);
        return process;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}

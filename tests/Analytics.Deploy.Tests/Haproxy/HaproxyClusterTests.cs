using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Analytics.Cassandra.EventLog;
using Analytics.Cassandra.Storage;
using Analytics.Cql;
using Analytics.Deploy.Tests.Support;
using Analytics.Testing;
using Xunit.Abstractions;

namespace Analytics.Deploy.Tests.Haproxy;

/// <summary>HAProxy (deploy/haproxy/haproxy.cfg) in front of two real gateways of the cluster profile.</summary>
public sealed class HaproxyClusterTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private const int Beacons = 240;
    private const int Senders = 4;

    [Fact]
    public async Task Every_acknowledged_beacon_is_counted_once_while_a_gateway_stops_mid_run()
    {
        if (!cluster.Available)
        {
            return;
        }

        var site = $"lb-{cluster.RunId}.test";
        using var http = Client("127.0.0.1");
        await RegisterAsync(http, site);

        var sent = 0;
        var accepted = 0;
        var failed = new List<string>();
        var stopped = Task.CompletedTask;
        var stopOnce = 0;
        async Task SendAsync()
        {
            while (Interlocked.Increment(ref sent) is var n && n <= Beacons)
            {
                if (n == Beacons / 3 && Interlocked.Exchange(ref stopOnce, 1) == 0)
                {
                    // SIGTERM to the first gateway while the others keep sending: HAProxy must route around it.
                    stopped = cluster.Gateways[0].StopAsync();
                }

                // 24 cookieless visitors (one IP, 24 browser versions), so the events spread over Kafka partitions as real traffic does.
                var response = await PostBeaconAsync(http, site, $"/p{n % 7}", forwardedFor: null, userAgent: Chrome.Replace("120.0.0.0", $"120.0.0.{n % 24}", StringComparison.Ordinal));
                if (response == HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref accepted);
                }
                else
                {
                    lock (failed)
                    {
                        failed.Add(response.ToString());
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAsync)));
        await stopped;
        Assert.True(cluster.Gateways[0].HasExited, "the first gateway should have stopped");

        output.WriteLine($"{accepted} of {Beacons} beacons acknowledged with 202; not acknowledged: [{string.Join(", ", failed)}]");
        int counted;
        try
        {
            counted = await Poll.UntilAsync(() => PageviewsAsync(http, site), n => n >= accepted, TimeSpan.FromSeconds(60), $"{accepted} pageviews");
        }
        catch (TimeoutException)
        {
            output.WriteLine(cluster.Logs());
            throw;
        }

        Assert.Equal(accepted, counted);
        var visitors = (await VisitorsAndPageviewsAsync(http, site)).Visitors;
        Assert.Equal(24.0, visitors);
        // A connection the stopping gateway had accepted but closed before answering reaches the client as a transport
        // error (0): that beacon was not acknowledged, so a client resends it, and nothing acknowledged is lost (the
        // counts above prove it). Anything else that is not a 202 (a 5xx, a 502 from HAProxy) is a failure.
        Assert.All(failed, status => Assert.Equal("0", status));
        Assert.True(failed.Count <= 2, $"{failed.Count} beacons failed at the transport level while one gateway stopped.");
    }

    [Fact]
    public async Task The_gateway_takes_the_client_address_from_X_Forwarded_For_only_through_the_proxy()
    {
        if (!cluster.Available)
        {
            return;
        }

        // Through HAProxy: two clients (127.0.0.11 and .12) both forge the same X-Forwarded-For; HAProxy appends the
        // address it saw, the gateway trusts only HAProxy's hop, so they are two cookieless visitors.
        var proxied = $"xff-{cluster.RunId}.test";
        using var clientA = Client("127.0.0.11");
        using var clientB = Client("127.0.0.12");
        await RegisterAsync(clientA, proxied);
        Assert.Equal(HttpStatusCode.Accepted, await PostBeaconAsync(clientA, proxied, "/", forwardedFor: "198.51.100.7"));
        Assert.Equal(HttpStatusCode.Accepted, await PostBeaconAsync(clientB, proxied, "/", forwardedFor: "198.51.100.7"));

        // Straight to a gateway (not from HAProxy's address): different forged X-Forwarded-For values are ignored,
        // both beacons come from 127.0.0.11 and are one visitor.
        var direct = $"direct-{cluster.RunId}.test";
        var gateway = cluster.Gateways.Last(g => !g.HasExited).BaseUrl;
        using var directClient = Client("127.0.0.11", gateway);
        await RegisterAsync(directClient, direct);
        Assert.Equal(HttpStatusCode.Accepted, await PostBeaconAsync(directClient, direct, "/", forwardedFor: "203.0.113.8"));
        Assert.Equal(HttpStatusCode.Accepted, await PostBeaconAsync(directClient, direct, "/", forwardedFor: "203.0.113.9"));

        using var query = Client("127.0.0.1");
        var viaProxy = await Poll.UntilAsync(() => VisitorsAndPageviewsAsync(query, proxied), r => r.Pageviews >= 2, TimeSpan.FromSeconds(60), "2 pageviews via the proxy");
        var bypassing = await Poll.UntilAsync(() => VisitorsAndPageviewsAsync(query, direct), r => r.Pageviews >= 2, TimeSpan.FromSeconds(60), "2 direct pageviews");
        Assert.Equal((2.0, 2.0), viaProxy);
        Assert.Equal((1.0, 2.0), bypassing);
    }

    [Fact]
    public async Task Client_addresses_are_in_no_Kafka_message_and_no_Cassandra_row()
    {
        if (!cluster.Available)
        {
            return;
        }

        // Cookieless (the address feeds the visitor hash) and cookie sites; a real source address and a forged header.
        string[] addresses = ["127.0.0.13", "198.51.100.77"];
        var cookieless = $"noip-{cluster.RunId}.test";
        var cookies = $"noip-cookie-{cluster.RunId}.test";
        using var client = Client(addresses[0]);
        await RegisterAsync(client, cookieless);
        (await client.PostAsJsonAsync("/api/sites", new { domain = cookies, timezone = "Etc/UTC", cookieless = false })).EnsureSuccessStatusCode();
        foreach (var site in new[] { cookieless, cookies })
        {
            Assert.Equal(HttpStatusCode.Accepted, await PostBeaconAsync(client, site, "/", forwardedFor: addresses[1]));
            Assert.Equal(HttpStatusCode.Accepted, await PostBeaconAsync(client, site, "/next", forwardedFor: addresses[1]));
        }

        // Counted means consumed from Kafka and archived in Cassandra's raw log first.
        using var query = Client("127.0.0.1");
        foreach (var site in new[] { cookieless, cookies })
        {
            await Poll.UntilAsync(() => PageviewsAsync(query, site), n => n >= 2, TimeSpan.FromSeconds(60), $"2 pageviews on {site}");
        }

        var payloads = KafkaTestBroker.ReadAll("analytics-events", ServicePorts.KafkaPartitions, $"127.0.0.1:{ServicePorts.Kafka}")
            .Select(System.Text.Encoding.UTF8.GetString).ToList();
        Assert.Equal(4, payloads.Count(p => p.Contains(cookieless, StringComparison.Ordinal) || p.Contains(cookies, StringComparison.Ordinal))); // control
        await using var cassandra = new CqlSession(new CassandraClientOptions { ContactPoints = [$"127.0.0.1:{ServicePorts.Cassandra}"] });
        var rows = new List<string>();
        var archived = new HashSet<Guid>();
        // Segment payloads too (data only). The control counts the raw log's events, each once (a redelivery may archive one twice).
        foreach (var (table, columns) in new[]
        {
            ("grain_state", "grain_type, grain_id, state"), ("event_blocks", "site, data"), ("segment_chunks", "data"), ("segment_batches", "data"),
        })
        {
            await foreach (var row in cassandra.QueryAllAsync(new CqlStatement($"SELECT {columns} FROM analytics_cluster_tests.{table}") { PageSize = 100 }))
            {
                if (table == "event_blocks")
                {
                    // The raw log's blocks are packed: searched as the envelopes they hold.
                    var data = row.GetBytes("data") ?? [];
                    if (row.GetString("site") is { } site && (site == cookieless || site == cookies))
                    {
                        archived.UnionWith(CassandraEventBlock.Unpack(data).Select(e => e.Id));
                    }
                    rows.Add($"{row.GetString("site")} {System.Text.Encoding.UTF8.GetString(CassandraBlobCodec.Unpack(data))}");
                    continue;
                }
                rows.Add(string.Join(' ', Enumerable.Range(0, row.FieldCount).Select(i => row[i] is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : row[i]?.ToString())));
            }
        }

        Assert.Equal(4, archived.Count); // control
        foreach (var address in addresses)
        {
            Assert.DoesNotContain(payloads, p => p.Contains(address, StringComparison.Ordinal));
            Assert.DoesNotContain(rows, r => r.Contains(address, StringComparison.Ordinal));
        }
    }

    /// <summary>An HttpClient whose connections leave from <paramref name="source"/>, a loopback address of our choosing.</summary>
    private HttpClient Client(string source, string? baseUrl = null)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl ?? cluster.ProxyUrl), Timeout = TimeSpan.FromSeconds(30) }.Authorize();
    }

    private static async Task RegisterAsync(HttpClient http, string domain) =>
        (await http.PostAsJsonAsync("/api/sites", new { domain, timezone = "Etc/UTC", cookieless = true })).EnsureSuccessStatusCode();

    private static async Task<HttpStatusCode> PostBeaconAsync(HttpClient http, string site, string path, string? forwardedFor, string userAgent = Chrome)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/event")
        {
            Content = JsonContent.Create(new { name = "pageview", url = $"https://{site}{path}", domain = site }),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static async Task<int> PageviewsAsync(HttpClient http, string site) =>
        (int)(await VisitorsAndPageviewsAsync(http, site)).Pageviews;

    private static async Task<(double Visitors, double Pageviews)> VisitorsAndPageviewsAsync(HttpClient http, string site)
    {
        var today = DateTime.UtcNow.Date;
        var response = await http.PostAsJsonAsync("/api/v2/query", new
        {
            site_id = site,
            metrics = new[] { "visitors", "pageviews" },
            date_range = new[] { today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        }

        var rows = body.GetProperty("results");
        return rows.GetArrayLength() == 0 ? (0, 0) : (rows[0].GetProperty("metrics")[0].GetDouble(), rows[0].GetProperty("metrics")[1].GetDouble());
    }
}

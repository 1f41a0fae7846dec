using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Cluster.Tests;

/// <summary>
/// Cassandra and Redis go away under steady load (each test has its own server of that kind, so stopping it touches no other
/// test): beacons keep being accepted, queries and /health say what is down (problem+json, never a stack trace), the gateway's
/// memory stays bounded, and once the server is back every 202-acknowledged beacon is counted exactly once.
/// </summary>
public sealed class ClusterFaultTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // Steady, not flat out: about 25 beacons a second, a few hundred over an outage, on a machine the other tests share.
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(40);

    // A bound, not a measurement: what the gateway may grow by while a server is down and beacons keep coming.
    private const long MemoryHeadroom = 200L * 1024 * 1024;

    [Fact]
    public async Task While_Cassandra_is_down_beacons_are_accepted_queries_answer_503_and_everything_is_counted_once_it_is_back()
    {
        if (!ServiceEndpoints.ClusterServicesAvailable())
        {
            return;
        }
        await using var cassandra = new PrivateCassandra();
        await cassandra.StartAsync();
        await using var bed = await ClusterTestBed.CreateAsync("cassdown", partitions: 2, cassandra: cassandra.ContactPoint);
        var silo = await bed.StartSiloAsync("silo");
        var gateway = await bed.StartGatewayAsync();
        using var probes = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        await using var poster = bed.StartPosting(Pace);
        await poster.WaitForAcceptedAsync(40, Deadline);
        await using var memory = new MemorySampler(gateway);
        await cassandra.KillAsync();
        var acceptedAtKill = poster.AcceptedCount;

        // The silo says which dependency is down; it is still alive.
        var health = await Poll.UntilAsync(() => GetAsync(probes, silo, "/health"), h => h.Status == HttpStatusCode.ServiceUnavailable, Deadline, "the silo's /health to report Cassandra down");
        Assert.Equal("Unhealthy", Check(health.Body, "cassandra"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(probes, silo, "/alive")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(probes, gateway, "/alive")).Status);

        // A query over an open period needs buckets Cassandra has to load: a clear 503, no exception text.
        using (var response = await bed.Http!.PostAsJsonAsync("/api/v2/query", new { site_id = bed.Site, metrics = new[] { "pageviews" }, date_range = "7d" }))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}\n{bed.Logs()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
            using var problem = JsonDocument.Parse(body);
            Assert.Equal("Storage unavailable", problem.RootElement.GetProperty("title").GetString());
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        }

        // Kafka holds the beacons meanwhile.
        await poster.WaitForAcceptedAsync(acceptedAtKill + 150, Deadline);
        await cassandra.StartAsync();
        await Poll.UntilAsync(async () => (await GetAsync(probes, silo, "/health")).Status == HttpStatusCode.OK, Deadline, "the silo's /health once Cassandra is back");
        var acceptedAtRestart = poster.AcceptedCount;
        await poster.WaitForAcceptedAsync(acceptedAtRestart + 40, Deadline);
        var results = await poster.StopAsync();
        memory.AssertBounded(MemoryHeadroom);

        Assert.All(results, r => Assert.True(r.Accepted, $"beacon {r.Seq}: {(int)r.Status}\n{bed.Logs()}"));
        // Deliveries that failed while Cassandra was away are retried with a growing backoff (up to 30 s) before they land.
        await bed.AssertCountedExactlyAsync([.. results.Select(r => r.Seq)], TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task While_Redis_is_down_the_cluster_keeps_counting_and_caching_degrades_to_the_grains()
    {
        if (!ServiceEndpoints.ClusterServicesAvailable())
        {
            return;
        }
        await using var redis = new PrivateRedis();
        await redis.StartAsync();
        await using var bed = await ClusterTestBed.CreateAsync("redisdown", partitions: 2, redis: redis.Endpoint);
        var silo = await bed.StartSiloAsync("silo");
        var gateway = await bed.StartGatewayAsync();
        using var probes = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // A day long past: "yesterday" is still open for ClosedAfter (1 h) after midnight, which made this test fail around 00:10 UTC.
        var closed = new { site_id = bed.Site, metrics = new[] { "pageviews" }, date_range = new[] { "2020-01-15", "2020-01-15" } };

        await using var poster = bed.StartPosting(Pace);
        await poster.WaitForAcceptedAsync(40, Deadline);
        await using var memory = new MemorySampler(gateway);
        await redis.StopAsync();
        var acceptedAtStop = poster.AcceptedCount;

        // Membership and cache are away: both processes say so, but stay ready (degraded is 200).
        foreach (var process in new[] { silo, gateway })
        {
            var health = await Poll.UntilAsync(() => GetAsync(probes, process, "/health"), h => h.Body.Contains("\"Degraded\"", StringComparison.Ordinal), Deadline, $"{process.Name}'s /health to report Redis degraded");
            Assert.Equal(HttpStatusCode.OK, health.Status);
            Assert.Equal("Degraded", Check(health.Body, "redis"));
        }

        // Closed-period queries would be served from Redis: the cache's breaker turns the outage into misses the grains answer.
        for (var i = 0; i < 8; i++)
        {
            using var response = await bed.Http!.PostAsJsonAsync("/api/v2/query", closed);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("miss", response.Headers.GetValues("X-Analytics-Cache").Single());
        }
        Assert.Equal(2, (await bed.TotalsAsync()).Length);

        await poster.WaitForAcceptedAsync(acceptedAtStop + 150, Deadline);
        await redis.StartAsync();
        await Poll.UntilAsync(async () => (await GetAsync(probes, gateway, "/health")).Body.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal), Deadline, "the gateway's /health once Redis is back");
        await Poll.UntilAsync(async () => (await GetAsync(probes, silo, "/health")).Body.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal), Deadline, "the silo's /health once Redis is back");
        await poster.WaitForAcceptedAsync(poster.AcceptedCount + 40, Deadline);
        var results = await poster.StopAsync();
        memory.AssertBounded(MemoryHeadroom);

        Assert.All(results, r => Assert.True(r.Accepted, $"beacon {r.Seq}: {(int)r.Status}\n{bed.Logs()}"));
        await bed.AssertCountedExactlyAsync([.. results.Select(r => r.Seq)], Deadline);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, AnalyticsProcess process, string path)
    {
        using var response = await http.GetAsync(new Uri(process.BaseAddress, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The status /health reports for one named check.</summary>
    private static string? Check(string healthBody, string name)
    {
        using var json = JsonDocument.Parse(healthBody);
        return json.RootElement.GetProperty("checks").GetProperty(name).GetProperty("status").GetString();
    }

    /// <summary>Samples a process's resident memory twice a second from creation until disposed.</summary>
    private sealed class MemorySampler : IAsyncDisposable
    {
        private readonly ConcurrentQueue<long> _samples = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly long _baseline;

        public MemorySampler(AnalyticsProcess process)
        {
            var pid = process.ProcessId ?? throw new InvalidOperationException($"{process} is not running");
            _baseline = ProcessMemory.RssBytes(pid);
            _loop = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
                do
                {
                    _samples.Enqueue(ProcessMemory.RssBytes(pid));
                }
                while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
            });
        }

        public void AssertBounded(long headroom)
        {
            Assert.NotEmpty(_samples);
            var peak = _samples.Max();
            Assert.True(peak <= _baseline + headroom, $"gateway RSS peaked at {peak / 1048576} MB, {(peak - _baseline) / 1048576} MB over the {_baseline / 1048576} MB it had when the server went down");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }
    }
}

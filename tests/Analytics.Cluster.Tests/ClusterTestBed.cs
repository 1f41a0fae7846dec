using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Analytics.Cluster.Tests;

/// <summary>
/// One test's cluster: its own topic, keyspace, cluster id and consumer group; the silo and gateway processes it starts;
/// beacons numbered 0, 1, 2, … (visitor n % 7, page /page/(n % 5), prop seq = n) and exact reads through the gateway.
/// </summary>
public sealed partial class ClusterTestBed : IAsyncDisposable
{
    public const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    public const int Visitors = 7;
    public const int Pages = 5;

    private readonly List<AnalyticsProcess> _processes = [];
    private int _next;

    private ClusterTestBed(ClusterSettings settings, string site)
    {
        Settings = settings;
        Site = site;
    }

    public ClusterSettings Settings { get; }

    public string Site { get; }

    public HttpClient? Http { get; private set; }

    /// <summary>
    /// A fresh topic (created on <paramref name="broker"/>, else the shared broker) and fresh names for everything else;
    /// <paramref name="cassandra"/> and <paramref name="redis"/> replace the shared servers (a test's private ones).
    /// </summary>
    public static async Task<ClusterTestBed> CreateAsync(string prefix, int partitions, PrivateKafkaBroker? broker = null, string? cassandra = null, string? redis = null)
    {
        var settings = ClusterSettings.Unique(prefix, partitions);
        if (broker is not null)
        {
            settings = settings with { KafkaBootstrap = broker.Bootstrap };
        }
        settings = settings with { CassandraContactPoint = cassandra ?? settings.CassandraContactPoint, Redis = redis ?? settings.Redis };
        await KafkaTestBroker.CreateTopicAsync(settings.Topic, partitions, broker?.ZooKeeper, settings.KafkaBootstrap);
        return new ClusterTestBed(settings, $"{prefix}.test");
    }

    /// <summary>
    /// Starts a cluster silo. With <paramref name="inPlaceOf"/> it takes that silo's endpoint, as a supervisor restarting a
    /// crashed silo does: Orleans then declares the old incarnation on that endpoint dead instead of waiting to probe it.
    /// </summary>
    public async Task<AnalyticsProcess> StartSiloAsync(string name, AnalyticsProcess? inPlaceOf = null)
    {
        var endpoint = inPlaceOf is null
            ? null
            : new Dictionary<string, string>
            {
                ["Analytics__Cluster__SiloPort"] = inPlaceOf.Settings["Analytics__Cluster__SiloPort"],
                ["Analytics__Cluster__GatewayPort"] = inPlaceOf.Settings["Analytics__Cluster__GatewayPort"],
            };
        var silo = AnalyticsProcess.ClusterSilo(Settings, name, endpoint);
        _processes.Add(silo);
        await silo.StartAsync(TimeSpan.FromSeconds(90));
        return silo;
    }

    /// <summary>Starts the gateway (after a silo: its Orleans client needs one) and registers the test's site through it.</summary>
    public async Task<AnalyticsProcess> StartGatewayAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        // Every beacon comes from this one client address, and a loop posting into 503s (an outage) passes the per-IP limit
        // (600 a minute) within seconds; its 429s would hide what these tests look at. RateLimitTests cover the limits.
        var withoutRateLimits = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["Analytics__RateLimits__Enabled"] = "false" };
        var gateway = AnalyticsProcess.Gateway(Settings, settings: withoutRateLimits);
        _processes.Add(gateway);
        await gateway.StartAsync(TimeSpan.FromSeconds(90));
        Http = gateway.CreateClient(TimeSpan.FromSeconds(60));
        (await Http.PostAsJsonAsync("/api/sites", new { domain = Site, timezone = "Etc/UTC" })).EnsureSuccessStatusCode();
        return gateway;
    }

    /// <summary>Posts the next numbered beacon; returns its number and the gateway's answer.</summary>
    public async Task<Posted> PostNextAsync()
    {
        var seq = Interlocked.Increment(ref _next) - 1;
        var body = $$"""{"n":"pageview","u":"https://{{Site}}/page/{{seq % Pages}}","d":"{{Site}}","v":"visitor{{seq % Visitors}}","p":"{\"seq\":\"{{seq}}\"}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/event") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        request.Headers.TryAddWithoutValidation("User-Agent", Chrome);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await Http!.SendAsync(request);
            return new Posted(seq, response.StatusCode, response.Headers.Contains("X-Drop-Reason"), response.Headers.RetryAfter?.Delta, started, Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new Posted(seq, 0, false, null, started, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Posts <paramref name="count"/> beacons one after another; every one must be a plain 202.</summary>
    public async Task<List<Posted>> PostAcceptedAsync(int count)
    {
        var posted = new List<Posted>();
        for (var i = 0; i < count; i++)
        {
            var p = await PostNextAsync();
            Assert.True(p.Accepted, $"beacon {p.Seq}: {(int)p.Status}{(p.Dropped ? " (dropped)" : "")}");
            posted.Add(p);
        }
        return posted;
    }

    /// <summary>
    /// Posts one beacon after another in the background until stopped, at most one per <paramref name="pace"/> when given;
    /// every answer is kept.
    /// </summary>
    public Poster StartPosting(TimeSpan? pace = null) => new(this, pace);

    /// <summary>
    /// Waits until the silos committed every produced message of the topic: all delivered to the grains.
    /// </summary>
    public Task WaitDrainedAsync(TimeSpan timeout) =>
        UntilWithLogsAsync(Poll.UntilAsync(
            () => Task.Run(() => KafkaTestBroker.Offsets(Settings.Topic, Settings.PartitionCount, Settings.ConsumerGroupId, Settings.KafkaBootstrap)),
            offsets => offsets.All(o => o.Committed == o.Produced),
            timeout,
            $"the silos to commit every message of {Settings.Topic}"));

    public async Task<double[]> TotalsAsync() =>
        Metrics(await QueryAsync(new { site_id = Site, metrics = new[] { "pageviews", "visitors" }, date_range = "day" }));

    public async Task<Dictionary<string, double[]>> PagesAsync() =>
        Rows(await QueryAsync(new { site_id = Site, metrics = new[] { "pageviews", "visitors" }, date_range = "day", dimensions = new[] { "event:page" } }));

    /// <summary>
    /// Waits until the topic is drained and the pageviews reached the number <paramref name="counted"/> holds, then asserts the exact totals
    /// and page breakdown for beacons 0…n-1 that are <paramref name="counted"/>.
    /// </summary>
    public async Task AssertCountedExactlyAsync(IReadOnlyCollection<int> counted, TimeSpan timeout)
    {
        await WaitDrainedAsync(timeout);
        await UntilWithLogsAsync(Poll.UntilAsync(TotalsAsync, m => m.Length == 2 && m[0] >= counted.Count, timeout, $"{counted.Count} pageviews on {Site}"));
        var expectedVisitors = counted.Select(s => s % Visitors).Distinct().Count();
        var totals = await TotalsAsync();
        Assert.Equal(new double[] { counted.Count, expectedVisitors }, totals);
        var expectedPages = counted.GroupBy(s => s % Pages).ToDictionary(
            g => $"/page/{g.Key}",
            g => new double[] { g.Count(), g.Select(s => s % Visitors).Distinct().Count() });
        var pages = await PagesAsync();
        Assert.Equal(expectedPages.OrderBy(p => p.Key).Select(p => $"{p.Key}={string.Join('/', p.Value)}"),
            pages.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={string.Join('/', p.Value)}"));
    }

    /// <summary>The seq prop of every event in the topic.</summary>
    public IReadOnlyList<int> SeqsInTopic() =>
        [.. KafkaTestBroker.ReadAll(Settings.Topic, Settings.PartitionCount, Settings.KafkaBootstrap).Select(value =>
        {
            using var json = JsonDocument.Parse(value);
            return int.Parse(json.RootElement.GetProperty("event").GetProperty("props").GetProperty("seq").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        })];

    /// <summary>
    /// The partitions of this test's topic whose receivers a silo holds now, from its own log: the stream provider logs
    /// "Reading Kafka topic[p] from offset" when its receiver takes a partition and "Released Kafka topic[p]" when it lets go.
    /// </summary>
    public SortedSet<int> PartitionsOwnedBy(AnalyticsProcess silo)
    {
        var owned = new SortedSet<int>();
        foreach (var line in silo.Lines())
        {
            var match = OwnershipLine().Match(line);
            if (!match.Success || match.Groups["topic"].Value != Settings.Topic)
            {
                continue;
            }
            var partition = int.Parse(match.Groups["partition"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (match.Groups["what"].Value == "Reading")
            {
                owned.Add(partition);
            }
            else
            {
                owned.Remove(partition);
            }
        }
        return owned;
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    /// <summary>
    /// A wait on the silos' work whose timeout carries the processes' recent output: a stalled consumer or a count that
    /// stays short says why only in their logs.
    /// </summary>
    private async Task UntilWithLogsAsync(Task wait)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n" + Logs(200), ex);
        }
    }

    /// <summary>Every process's output, for a failure message.</summary>
    public string Logs(int lastLines = 40) => string.Join("\n", _processes.Select(p =>
        $"----- {p} -----\n" + string.Join('\n', p.Lines().TakeLast(lastLines))));

    private async Task<JsonElement> QueryAsync(object body)
    {
        using var response = await Http!.PostAsJsonAsync("/api/v2/query", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode ? json : throw new InvalidOperationException($"query: {(int)response.StatusCode}: {json}");
    }

    private static double[] Metrics(JsonElement result) =>
        result.GetProperty("results").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } row
            ? [.. row.GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble())]
            : [];

    private static Dictionary<string, double[]> Rows(JsonElement result) =>
        result.GetProperty("results").EnumerateArray().ToDictionary(
            r => r.GetProperty("dimensions")[0].GetString()!,
            r => r.GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble()).ToArray());

    [GeneratedRegex(@"(?<what>Reading|Released) Kafka (?<topic>[^\s\[]+)\[(?<partition>\d+)\]")]
    private static partial Regex OwnershipLine();

    public sealed record Posted(int Seq, HttpStatusCode Status, bool Dropped, TimeSpan? RetryAfter, long StartedAt, long EndedAt)
    {
        public bool Accepted => Status == HttpStatusCode.Accepted && !Dropped;
    }

    /// <summary>A background loop of sequential posts.</summary>
    public sealed class Poster : IAsyncDisposable
    {
        private readonly ConcurrentQueue<Posted> _results = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Poster(ClusterTestBed bed, TimeSpan? pace)
        {
            _loop = Task.Run(async () =>
            {
                using var timer = pace is { } period ? new PeriodicTimer(period) : null;
                while (!_stop.IsCancellationRequested)
                {
                    _results.Enqueue(await bed.PostNextAsync());
                    if (timer is not null && !await timer.WaitForNextTickAsync(CancellationToken.None))
                    {
                        break;
                    }
                }
            });
        }

        public IReadOnlyList<Posted> Results => [.. _results];

        public int AcceptedCount => _results.Count(r => r.Accepted);

        public Task WaitForAcceptedAsync(int count, TimeSpan timeout) =>
            Poll.UntilAsync(() => Task.FromResult(AcceptedCount), n => n >= count, timeout, $"{count} beacons accepted (202)");

        public async Task<IReadOnlyList<Posted>> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            return Results;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (Exception)
            {
            }
            _stop.Dispose();
        }
    }
}

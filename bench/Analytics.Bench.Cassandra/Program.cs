// Short measurements against a real Cassandra (CASSANDRA_CONTACT_POINT, else 127.0.0.1:$CASSANDRA_PORT, else :9042):
//   1. grain-state writes through CassandraGrainStorage (lightweight transactions), writes/s and latency percentiles;
//   2. raw-log appends, one INSERT per event vs group commit into per-partition unlogged batches;
//   3. re-aggregation: reading a site-day back from the raw log and re-sessionizing it into segment rows in memory (events/s).
// Usage: dotnet run -c Release --project bench/Analytics.Bench.Cassandra [-- seconds-per-phase]   (default 10)
using System.Diagnostics;
using System.Globalization;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains.Segments;
using Analytics.Grains.Sessions;
using Analytics.Cql;
using Analytics.Cassandra.EventLog;
using Analytics.Cassandra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var phase = TimeSpan.FromSeconds(seconds);
var contactPoint = Environment.GetEnvironmentVariable("CASSANDRA_CONTACT_POINT") is { Length: > 0 } point
    ? point
    : $"127.0.0.1:{Environment.GetEnvironmentVariable("CASSANDRA_PORT") ?? "9042"}";
var keyspace = $"bench_{Guid.NewGuid():N}"[..18];
CassandraClientOptions Client() => new() { ContactPoints = [contactPoint], PoolSize = 2, RequestTimeout = TimeSpan.FromSeconds(15) };
const int Concurrency = 64;
var report = new List<string>();
void Say(string line)
{
    Console.WriteLine(line);
    report.Add(line);
}

Say($"Cassandra {contactPoint}, {Environment.ProcessorCount} cores, {seconds:0} s per phase, {Concurrency} concurrent callers");

// 1. Grain state through CassandraGrainStorage: each caller owns one visitor grain and writes its state in an etag chain.
await using (var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(VisitorState).Assembly)).BuildServiceProvider())
{
    var options = new CassandraGrainStorageOptions { Keyspace = keyspace, Client = Client() };
    await using var storage = new CassandraGrainStorage("bench", options, services.GetRequiredService<Serializer>(),
        services.GetRequiredService<IActivatorProvider>(), NullLoggerFactory.Instance);
    await storage.StartAsync(CancellationToken.None);
    var latencies = new List<double>[Concurrency];
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async worker =>
    {
        var mine = latencies[worker] = [];
        var grainId = GrainId.Create("visitor", $"bench.test|c:{worker}");
        var visitor = new VisitorState();
        var state = new GrainState<VisitorState>(visitor);
        for (var i = 0; clock.Elapsed < phase; i++)
        {
            // A visitor's state as it is saved after each event: its remembered ids full, its sequence moving.
            if (visitor.RecentEventIds.Count == Sessionizer.RememberedEventIds)
            {
                visitor.RecentEventIds.RemoveAt(0);
            }

            visitor.RecentEventIds.Add(Guid.NewGuid());
            visitor.Sequence++;
            var started = Stopwatch.GetTimestamp();
            await storage.WriteStateAsync("visitor", grainId, state);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    Say(FormattableString.Invariant(
        $"grain state writes: {all.Length / clock.Elapsed.TotalSeconds:F0}/s, p50 {Pct(all, 0.50):F1} ms, p99 {Pct(all, 0.99):F1} ms ({all.Length} writes, LWT INSERT IF NOT EXISTS / UPDATE IF etag)"));
}

// 2. Raw log appends: 64 callers (as visitor grains would) each append one event at a time, 4 sites × 1 UTC day.
var day = new DateTime(2026, 1, 14, 0, 0, 0, DateTimeKind.Utc);
long readSiteEvents = 0;
foreach (var groupCommit in new[] { false, true })
{
    var table = groupCommit ? "events_batched" : "events_single";
    await using var log = new CassandraRawEventLog(new CassandraRawEventLogOptions { Client = Client(), Keyspace = keyspace, Table = table, GroupCommit = groupCommit });
    await log.StartAsync(CancellationToken.None);
    await log.AppendAsync([Event(0, 0)]); // prepare outside the clock
    long appended = 0;
    var latencies = new List<double>[Concurrency];
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async worker =>
    {
        var mine = latencies[worker] = [];
        var random = new Random(worker);
        while (clock.Elapsed < phase)
        {
            var n = Interlocked.Increment(ref appended);
            var started = Stopwatch.GetTimestamp();
            await log.AppendAsync([Event(worker, n, random)]);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    Say(FormattableString.Invariant(
        $"raw log, {(groupCommit ? "group commit (unlogged batches per partition, ≤32 rows)" : "one INSERT per event")}: {all.Length / clock.Elapsed.TotalSeconds:F0} events/s, p50 {Pct(all, 0.50):F1} ms, p99 {Pct(all, 0.99):F1} ms"));
    if (groupCommit)
    {
        // 3. Re-aggregation of one site-day: read in (ts, id) order, sessionize per visitor into segment rows in memory.
        var clock3 = Stopwatch.StartNew();
        var rebuilder = new SegmentRebuilder();
        await foreach (var e in log.ReadDayAsync("site-0.test", DateOnly.FromDateTime(day)))
        {
            rebuilder.Add(e);
        }
        var readAndBuild = clock3.Elapsed;
        readSiteEvents = rebuilder.Events;
        Say(FormattableString.Invariant(
            $"re-aggregation (read + sessionize): {rebuilder.Events / readAndBuild.TotalSeconds:F0} events/s ({rebuilder.Events} events in {readAndBuild.TotalSeconds:F1} s)"));
        var compute = Stopwatch.StartNew();
        var events = new List<TrackedEvent>();
        await foreach (var e in log.ReadDayAsync("site-0.test", DateOnly.FromDateTime(day)))
        {
            events.Add(e);
        }
        var readOnly = compute.Elapsed;
        compute.Restart();
        var again = new SegmentRebuilder();
        events.ForEach(again.Add);
        Say(FormattableString.Invariant(
            $"  of which reading the log: {events.Count / readOnly.TotalSeconds:F0} events/s; sessionize alone: {events.Count / compute.Elapsed.TotalSeconds:F0} events/s"));
    }
}

var cleanup = new CqlSession(Client());
await cleanup.ExecuteAsync(new CqlStatement($"DROP KEYSPACE IF EXISTS {keyspace}") { IsIdempotent = true });
await cleanup.DisposeAsync();

static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

// Visitors of 4 sites, spread over one UTC day; ~3 events per visitor, so sessions and bounces both occur.
TrackedEvent Event(int worker, long n, Random? random = null)
{
    random ??= new Random(0);
    var site = $"site-{worker % 4}.test";
    var visitor = $"v{random.Next(5000)}";
    return new TrackedEvent
    {
        Id = Guid.NewGuid(),
        Site = site,
        VisitorId = visitor,
        Timestamp = day.AddSeconds(random.Next(86_400)),
        Timezone = "Etc/UTC",
        Name = n % 7 == 0 ? "Signup" : EventNames.Pageview,
        Hostname = site,
        Pathname = $"/page/{random.Next(200)}",
        Referrer = "https://www.google.com/",
        Source = random.Next(3) switch { 0 => "Google", 1 => "Direct / None", _ => "Newsletter" },
        UtmSource = "newsletter",
        Country = "DE",
        Device = "Desktop",
        Browser = "Firefox",
        BrowserVersion = "128.0",
        Os = "Linux",
        OsVersion = "6",
        ScreenSize = "Desktop",
    };
}

// Short measurements against a real Cassandra (CASSANDRA_CONTACT_POINT, else 127.0.0.1:$CASSANDRA_PORT, else :9042):
//   1. lane checkpoints through CassandraLaneStateStore (one single-partition batch of 500 sessions each), per second and latency percentiles;
//   2. raw-log appends, one INSERT per event vs group commit into per-partition unlogged batches;
//   3. re-aggregation: reading a site-day back from the raw log and re-sessionizing it into segment rows in memory (events/s).
// Usage: dotnet run -c Release --project bench/Analytics.Bench.Cassandra [-- seconds-per-phase]   (default 10)
using System.Diagnostics;
using System.Globalization;
using Analytics.Abstractions.Lanes;
using Analytics.Cassandra.EventLog;
using Analytics.Cassandra.Lanes;
using Analytics.Cql;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains.Reaggregation;

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

// 1. Lane checkpoints through CassandraLaneStateStore: 8 lanes (a partition each, as Kafka's), each writing one checkpoint
// per batch with 500 changed sessions of ~260 bytes, one after the other as a lane does.
{
    await using var lanes = new CassandraLaneStateStore(new CassandraLaneStateStoreOptions { Client = Client(), Keyspace = keyspace, TablePrefix = "bench_lane" });
    await lanes.StartAsync(CancellationToken.None);
    const int Lanes = 8;
    const int SessionsPerCheckpoint = 500;
    var latencies = new List<double>[Lanes];
    long sessionsWritten = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Lanes).Select(async lane =>
    {
        var mine = latencies[lane] = [];
        var random = new Random(lane);
        var state = new byte[260];
        for (long offset = 1; clock.Elapsed < phase; offset++)
        {
            random.NextBytes(state);
            var sessions = Enumerable.Range(0, SessionsPerCheckpoint)
                .Select(_ => new StoredLaneSession((ulong)random.NextInt64(), "bench.test", DateTime.UtcNow, state.ToArray()))
                .ToList();
            var started = Stopwatch.GetTimestamp();
            await lanes.WriteAsync(lane.ToString(CultureInfo.InvariantCulture), new LaneCheckpointWrite(offset, DateTime.UtcNow, sessions, DateTime.MinValue), CancellationToken.None);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Interlocked.Add(ref sessionsWritten, SessionsPerCheckpoint);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    Say(FormattableString.Invariant(
        $"lane checkpoints: {all.Length / clock.Elapsed.TotalSeconds:F1}/s of {SessionsPerCheckpoint} sessions ({sessionsWritten / clock.Elapsed.TotalSeconds:F0} sessions/s), p50 {Pct(all, 0.50):F1} ms, p99 {Pct(all, 0.99):F1} ms ({Lanes} lanes, one single-partition batch each)"));
}

// 2. Raw log appends: 64 callers (as lanes on many silos would) each append one event at a time, 4 sites × 1 UTC day.
var day = new DateTime(2026, 1, 14, 0, 0, 0, DateTimeKind.Utc);
long readSiteEvents = 0;
foreach (var groupCommit in new[] { false, true })
{
    var table = groupCommit ? "events_batched" : "events_single";
    await using var log = new CassandraRawEventLog(new CassandraRawEventLogOptions { Client = Client(), Keyspace = keyspace, Table = table, BlockTable = table + "_blocks", GroupCommit = groupCommit });
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
        $"raw log, {(groupCommit ? "group commit (a block per site-day of a flush)" : "a block per append")}: {all.Length / clock.Elapsed.TotalSeconds:F0} events/s, p50 {Pct(all, 0.50):F1} ms, p99 {Pct(all, 0.99):F1} ms"));
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

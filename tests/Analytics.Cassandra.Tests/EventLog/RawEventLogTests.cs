using Analytics.Cassandra.EventLog;
using Analytics.Cassandra.Tests.Support;
using Analytics.Cql;
using Analytics.GrainInterfaces.Events;
using Analytics.Testing;

namespace Analytics.Cassandra.Tests.EventLog;

[Collection(CassandraCollection.Name)]
public sealed class RawEventLogTests(CassandraFixture fixture)
{
    private static readonly DateTime Evening = new(2026, 1, 14, 23, 59, 0, DateTimeKind.Utc);
    // A real country and props, so the round trip compares full records, not the defaults.
    private static readonly IReadOnlyDictionary<string, string> Plan = new Dictionary<string, string> { ["plan"] = "pro" };

    private CassandraRawEventLogOptions Options(bool groupCommit, TimeSpan? ttl = null) => new()
    {
        Client = fixture.ClientOptions(),
        Keyspace = fixture.Keyspace,
        Table = ttl is null ? "events" : "events_ttl",
        GroupCommit = groupCommit,
        Ttl = ttl,
        MaxBatchRows = 4,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Appended_events_read_back_by_site_and_UTC_day_in_time_order(bool groupCommit)
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var site = $"log-{Guid.NewGuid():N}.test";
        await using var log = new CassandraRawEventLog(Options(groupCommit));
        await log.StartAsync(CancellationToken.None);

        // 10 events straddling UTC midnight, appended out of order from several "grains" at once, plus another site.
        var events = Enumerable.Range(0, 10).Select(i => TestEvents.Pageview($"v{i % 3}", Evening.AddSeconds(i * 15), $"/p{i}", site, country: "DE", props: Plan)
            with { Timestamp = Evening.AddSeconds(i * 15).AddTicks(1234) }).ToList();
        await Task.WhenAll(events.AsEnumerable().Reverse().Chunk(3).Select(chunk => log.AppendAsync(chunk)));
        await log.AppendAsync([TestEvents.Pageview("v0", Evening, site: "other-" + site)]);

        var day1 = await ReadAsync(log, site, new DateOnly(2026, 1, 14));
        var day2 = await ReadAsync(log, site, new DateOnly(2026, 1, 15));
        Assert.Equal(4, day1.Count); // 23:59:00, :15, :30, :45
        Assert.Equal(6, day2.Count);
        // Full records (sub-millisecond ticks and props included), in (ts, id) order.
        Assert.Equal(events.Select(Json), day1.Concat(day2).Select(Json));

        var range = await ToListAsync(log.ReadRangeAsync(site, Evening.AddSeconds(30), Evening.AddSeconds(90)));
        Assert.Equal(events.Skip(2).Take(4).Select(e => e.Id), range.Select(e => e.Id));
    }

    [Fact]
    public async Task Re_appending_the_same_events_rewrites_the_same_rows()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var site = $"idem-{Guid.NewGuid():N}.test";
        await using var log = new CassandraRawEventLog(Options(groupCommit: true));
        await log.StartAsync(CancellationToken.None);
        var events = Enumerable.Range(0, 7).Select(i => TestEvents.Pageview("v", Evening.AddMinutes(-i), site: site)).ToList();

        await log.AppendAsync(events);
        var before = await RawRowsAsync(site);
        await log.AppendAsync(events);                  // a redelivery of the whole batch
        await log.AppendAsync([events[3], events[3]]);  // and a duplicate within one batch
        var after = await RawRowsAsync(site);

        Assert.Equal(7, before.Count);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_ttl_option_makes_rows_expire()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var site = $"ttl-{Guid.NewGuid():N}.test";
        await using var log = new CassandraRawEventLog(Options(groupCommit: true, ttl: TimeSpan.FromDays(30)));
        await log.StartAsync(CancellationToken.None);
        await log.AppendAsync([TestEvents.Pageview("v", Evening, site: site), TestEvents.Pageview("w", Evening, site: site)]);

        var rows = await fixture.Session.ExecuteAsync(new CqlStatement(
            $"SELECT TTL(envelope) AS ttl FROM {fixture.Keyspace}.events_ttl WHERE site = ? AND day = ?", site, "2026-01-14"));
        Assert.Equal(2, rows.Rows.Count);
        Assert.All(rows.Rows, r => Assert.InRange(r.GetInt32("ttl"), 29 * 86400, 30 * 86400));
    }

    private async Task<List<string>> RawRowsAsync(string site)
    {
        var rows = await fixture.Session.ExecuteAsync(new CqlStatement(
            $"SELECT ts, id, visitor, envelope FROM {fixture.Keyspace}.events WHERE site = ? AND day = ?", site, "2026-01-14"));
        return [.. rows.Rows.Select(r => $"{r.GetTimestamp("ts"):O} {r.GetGuid("id")} {r.GetString("visitor")} {Convert.ToBase64String(r.GetBytes("envelope")!)}")];
    }

    private static string Json(TrackedEvent e) => System.Text.Encoding.UTF8.GetString(EventEnvelope.For(e, e.Timestamp).ToUtf8Bytes());

    private static Task<List<TrackedEvent>> ReadAsync(CassandraRawEventLog log, string site, DateOnly day) => ToListAsync(log.ReadDayAsync(site, day));

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }
        return list;
    }
}

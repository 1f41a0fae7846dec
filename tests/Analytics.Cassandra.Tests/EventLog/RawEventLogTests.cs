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
        BlockTable = ttl is null ? "event_blocks" : "event_blocks_ttl",
        GroupCommit = groupCommit,
        Ttl = ttl,
        MaxBlockEvents = 4, // several blocks per site-day, so reading merges them
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
    public async Task Re_appending_the_same_events_rewrites_the_same_blocks_and_every_event_reads_once()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var site = $"idem-{Guid.NewGuid():N}.test";
        await using var log = new CassandraRawEventLog(Options(groupCommit: true));
        await log.StartAsync(CancellationToken.None);
        var events = Enumerable.Range(0, 7).Select(i => TestEvents.Pageview("v", Evening.AddSeconds(-i), site: site)).ToList();

        await log.AppendAsync(events);
        var before = await BlocksAsync(site);
        await log.AppendAsync(events);                  // a redelivery of the whole batch
        var after = await BlocksAsync(site);
        await log.AppendAsync([events[3], events[3], events[5]]);  // gathered otherwise, with a duplicate within the batch

        Assert.Equal(2, before.Count); // 7 events, 4 a block
        Assert.Equal(before, after);
        Assert.Equal(3, (await BlocksAsync(site)).Count);
        var read = await ReadAsync(log, site, new DateOnly(2026, 1, 14));
        Assert.Equal(events.OrderBy(e => e.Timestamp).Select(e => e.Id), read.Select(e => e.Id));
    }

    [Fact]
    public async Task Rows_an_earlier_build_wrote_per_event_read_merged_with_the_blocks_and_are_erased_with_them()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var site = $"rows-{Guid.NewGuid():N}.test";
        await using var log = new CassandraRawEventLog(Options(groupCommit: false));
        await log.StartAsync(CancellationToken.None);
        var events = Enumerable.Range(0, 9).Select(i => TestEvents.Pageview($"v{i % 2}", Evening.AddSeconds(-i * 7), $"/p{i}", site, props: Plan)).ToList();
        // Before the upgrade: every third event as a row of its own, as builds before the blocks wrote them.
        foreach (var e in events.Where((_, i) => i % 3 == 0))
        {
            await fixture.Session.ExecuteAsync(new CqlStatement(
                $"INSERT INTO {fixture.Keyspace}.events (site, day, ts, id, visitor, envelope) VALUES (?, ?, ?, ?, ?, ?)",
                site, "2026-01-14", e.Timestamp, e.Id, e.VisitorId, EventEnvelope.For(e, e.Timestamp).ToUtf8Bytes()) { Prepare = true });
        }
        // After it: the rest, and one of the rows again (its batch redelivered to the new build).
        await log.AppendAsync([.. events.Where((_, i) => i % 3 != 0), events[3]]);

        var read = await ReadAsync(log, site, new DateOnly(2026, 1, 14));
        Assert.Equal(events.OrderBy(e => e.Timestamp).Select(Json), read.Select(Json));

        await log.DeleteDaysAsync(site, [new DateOnly(2026, 1, 14)], CancellationToken.None);
        Assert.Empty(await ReadAsync(log, site, new DateOnly(2026, 1, 14)));
        Assert.Empty(await BlocksAsync(site));
    }

    [Fact]
    public async Task Events_of_one_millisecond_in_several_blocks_and_a_row_read_once_each()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var site = $"ms-{Guid.NewGuid():N}.test";
        await using var log = new CassandraRawEventLog(Options(groupCommit: false));
        await log.StartAsync(CancellationToken.None);
        // Ten events within one millisecond (ticks apart), so every block starts at the same first_ts.
        var events = Enumerable.Range(0, 10).Select(i => TestEvents.Pageview($"v{i}", Evening.AddTicks(i * 731), $"/p{i}", site)).ToList();
        var row = events[4];
        await fixture.Session.ExecuteAsync(new CqlStatement(
            $"INSERT INTO {fixture.Keyspace}.events (site, day, ts, id, visitor, envelope) VALUES (?, ?, ?, ?, ?, ?)",
            site, "2026-01-14", row.Timestamp, row.Id, row.VisitorId, EventEnvelope.For(row, row.Timestamp).ToUtf8Bytes()) { Prepare = true });
        await log.AppendAsync([.. events.Take(6)]);                       // two blocks (4 a block) of the same millisecond
        await log.AppendAsync([.. events.Skip(3)]);                       // overlapping them: two more
        await log.AppendAsync([events[9], events[0], events[4]]);         // and one more

        Assert.Equal(5, (await BlocksAsync(site)).Count);
        var read = await ReadAsync(log, site, new DateOnly(2026, 1, 14));
        Assert.Equal(events.Select(e => e.Id).Order(), read.Select(e => e.Id).Order()); // each once
        Assert.Equal(events.Select(Json).Order(), read.Select(Json).Order());
    }

    [Fact]
    public async Task A_block_spans_at_most_MaxBlockSpan_so_a_late_event_starts_its_own()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var site = $"span-{Guid.NewGuid():N}.test";
        var options = Options(groupCommit: true);
        options.MaxBlockSpan = TimeSpan.FromMinutes(1);
        await using var log = new CassandraRawEventLog(options);
        await log.StartAsync(CancellationToken.None);
        var at = Evening.AddHours(-12);
        // One batch: a late event from the morning, then three within a minute of each other.
        var events = new[] { at.AddHours(-6), at, at.AddSeconds(30), at.AddSeconds(60) }
            .Select((time, i) => TestEvents.Pageview($"v{i}", time, $"/p{i}", site)).ToList();

        await log.AppendAsync(events);

        var blocks = await fixture.Session.ExecuteAsync(new CqlStatement(
            $"SELECT first_ts, data FROM {fixture.Keyspace}.event_blocks WHERE site = ? AND day = ?", site, "2026-01-14"));
        Assert.Equal([1, 3], blocks.Rows.Select(r => CassandraEventBlock.Unpack(r.GetBytes("data")).Count));
        Assert.Equal(events.Select(e => e.Id), (await ReadAsync(log, site, new DateOnly(2026, 1, 14))).Select(e => e.Id));
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
        await log.AppendAsync([TestEvents.Pageview("v", Evening, site: site), TestEvents.Pageview("w", Evening.AddSeconds(1), site: site)]);

        var rows = await fixture.Session.ExecuteAsync(new CqlStatement(
            $"SELECT TTL(data) AS ttl FROM {fixture.Keyspace}.event_blocks_ttl WHERE site = ? AND day = ?", site, "2026-01-14"));
        Assert.Single(rows.Rows);
        Assert.All(rows.Rows, r => Assert.InRange(r.GetInt32("ttl"), 29 * 86400, 30 * 86400));
    }

    [Fact]
    public void A_block_keeps_its_envelopes_and_is_named_by_its_events()
    {
        var events = Enumerable.Range(0, 3).Select(i => TestEvents.Pageview($"v{i}", Evening.AddSeconds(i), $"/p{i}", "block.test", country: "DE", props: Plan)).ToList();

        var stored = CassandraEventBlock.Pack([.. events.Select(e => EventEnvelope.For(e, e.Timestamp).ToUtf8Bytes())]);

        Assert.Equal(events.Select(Json), CassandraEventBlock.Unpack(stored).Select(Json));
        Assert.NotEqual(CassandraEventBlock.IdOf([.. events.Select(e => e.Id)]), CassandraEventBlock.IdOf([.. events.Take(2).Select(e => e.Id)]));
        // Packed: the three envelopes repeat most of their text.
        Assert.True(stored.Length < events.Sum(e => EventEnvelope.For(e, e.Timestamp).ToUtf8Bytes().Length) / 2, $"{stored.Length} bytes");
    }

    private async Task<List<string>> BlocksAsync(string site)
    {
        var rows = await fixture.Session.ExecuteAsync(new CqlStatement(
            $"SELECT first_ts, block, data FROM {fixture.Keyspace}.event_blocks WHERE site = ? AND day = ?", site, "2026-01-14"));
        return [.. rows.Rows.Select(r => $"{r.GetTimestamp("first_ts"):O} {r.GetGuid("block")} {Convert.ToBase64String(r.GetBytes("data")!)}")];
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

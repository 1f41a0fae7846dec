using System.Buffers;
using System.Diagnostics;
using Analytics.Abstractions.Lanes;
using Analytics.Cassandra.Lanes;
using Analytics.Cassandra.Storage;
using Analytics.Cassandra.Tests.Support;
using Analytics.Cql;
using Analytics.Testing;
using Xunit.Abstractions;

namespace Analytics.Cassandra.Tests.Lanes;

/// <summary>
/// The lane store contract on a real Cassandra, plus what is Cassandra's own: a lane's partition of 100,000 sessions read
/// back page by page, checkpoints too big for one batch made visible whole by the last one, and compaction.
/// </summary>
[Collection(CassandraCollection.Name)]
public sealed class CassandraLaneStateStoreTests(CassandraFixture fixture, ITestOutputHelper output) : LaneStateStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly List<CassandraLaneStateStore> _stores = [];

    protected override bool Available => RequiresServices.Cassandra(fixture);

    protected override async Task<ILaneStateStore> OpenStoreAsync() => await OpenAsync(new CassandraLaneStateStoreOptions());

    protected override async Task CloseStoreAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_lane_of_one_hundred_thousand_sessions_reads_back_whole_across_pages()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("big");
        var site = NewSite("big");
        var clock = Stopwatch.StartNew();
        for (var w = 0; w < 20; w++)
        {
            var sessions = Enumerable.Range(w * 5000, 5000).Select(v => Session((ulong)v * 0x9E37_79B9_7F4A_7C15, site, T0.AddSeconds(w))).ToArray();
            await Store.WriteAsync(lane, Write(w + 1, T0.AddSeconds(w), sessions), None);
        }

        var written = clock.Elapsed;
        clock.Restart();
        var stored = await Store.ReadAsync(lane, None);
        output.WriteLine($"100,000 sessions: written in 20 checkpoints in {written.TotalSeconds:F1} s, read back in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(20, stored.Offset);
        Assert.Equal(100_000, stored.Sessions.Count);
        AssertSessions(Enumerable.Range(0, 100_000).Select(v => Session((ulong)v * 0x9E37_79B9_7F4A_7C15, site, T0.AddSeconds(v / 5000))), stored);
    }

    [Fact]
    public async Task A_checkpoint_bigger_than_a_batch_is_written_in_parts_committed_by_its_last_and_reads_whole()
    {
        if (!Available)
        {
            return;
        }

        var store = await OpenAsync(new CassandraLaneStateStoreOptions { MaxBatchBytes = 4096 });
        var lane = NewLane("split");
        var site = NewSite("split");
        var first = Enumerable.Range(0, 300).Select(v => Session((ulong)v, site, T0)).ToArray();
        await store.WriteAsync(lane, Write(1, T0, first), None);
        // Half of them change, a hundred are new: a few dozen parts of 4 KiB.
        var second = Enumerable.Range(150, 250).Select(v => Session((ulong)v, site, T0.AddMinutes(1), version: 2)).ToArray();
        await store.WriteAsync(lane, Write(2, T0.AddMinutes(1), second), None);

        var stored = await Store.ReadAsync(lane, None);
        Assert.Equal(2, stored.Offset);
        AssertSessions(first.Take(150).Concat(second), stored);
        var (firstPart, lastPart) = await PartRangeAsync(lane);
        Assert.Equal(0, firstPart);
        Assert.InRange(lastPart, 10, 100);
        Assert.Equal(lastPart + 1, await CountAsync($"SELECT part FROM {fixture.Keyspace}.lane_parts WHERE lane = ?", lane));
    }

    /// <summary>The rate of 500-session checkpoints of 8 lanes side by side (the cluster profile's need); reports the figure.</summary>
    [Fact]
    public async Task Checkpoint_throughput_of_eight_lanes_writing_five_hundred_sessions_each()
    {
        if (!Available)
        {
            return;
        }

        var site = NewSite("throughput");
        var lanes = Enumerable.Range(0, 8).Select(i => NewLane($"throughput{i}")).ToArray();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(lanes.Select(async (lane, l) =>
        {
            var random = new Random(l);
            for (var w = 1; w <= 15; w++)
            {
                var sessions = Enumerable.Range(0, 500).Select(_ => Session((ulong)random.Next(20_000), site, T0.AddSeconds(w * 10), stateBytes: 160))
                    .DistinctBy(s => s.Visitor).ToArray();
                await Store.WriteAsync(lane, Write(w, T0.AddSeconds(w * 10), sessions), None);
            }
        }));
        clock.Stop();

        output.WriteLine($"120 checkpoints of 500 sessions in {clock.Elapsed.TotalSeconds:F2} s: {120 / clock.Elapsed.TotalSeconds:F0} checkpoints/s, "
            + $"{120 * 500 / clock.Elapsed.TotalSeconds:F0} sessions/s");
        foreach (var lane in lanes)
        {
            Assert.Equal(15, (await Store.ReadAsync(lane, None)).Offset);
        }
    }

    /// <summary>
    /// The state a crash leaves after the first parts of a big checkpoint, before its last batch: parts past the last
    /// committed one. They are not read, and the next checkpoint, numbering its parts from the same place, overwrites them.
    /// </summary>
    [Fact]
    public async Task Parts_written_by_a_checkpoint_that_never_reached_its_commit_are_not_read_and_the_next_one_overwrites_them()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("orphan");
        var site = NewSite("orphan");
        var before = new[] { Session(1, site, T0), Session(2, site, T0) };
        await Store.WriteAsync(lane, Write(10, T0, before), None);
        var (_, last) = await PartRangeAsync(lane);
        await InsertPartAsync(lane, last + 1, [Session(2, site, T0.AddMinutes(1), version: 2), Session(3, site, T0.AddMinutes(1))]);
        await InsertPartAsync(lane, last + 2, [Session(4, site, T0.AddMinutes(1))]);

        var other = await OpenAsync(new CassandraLaneStateStoreOptions());
        var stored = await other.ReadAsync(lane, None);
        Assert.Equal(10, stored.Offset);
        AssertSessions(before, stored);

        // The next checkpoint takes the first orphan's number; the second is still past the last part, so still not read.
        var next = Session(5, site, T0.AddMinutes(2));
        await other.WriteAsync(lane, Write(20, T0.AddMinutes(2), [next]), None);
        var after = await Store.ReadAsync(lane, None);
        Assert.Equal(20, after.Offset);
        AssertSessions([.. before, next], after);
        Assert.Equal((0, last + 1), await PartRangeAsync(lane));
    }

    [Fact]
    public async Task A_compaction_into_several_parts_commits_them_whole_and_one_of_only_expired_sessions_leaves_no_part()
    {
        if (!Available)
        {
            return;
        }

        var store = await OpenAsync(new CassandraLaneStateStoreOptions { MaxBatchBytes = 4096 });
        var lane = NewLane("compact-parts");
        var site = NewSite("compact-parts");
        // 300 sessions of 4 KB, a part each: past the 1 MiB floor, so the checkpoint's 300 parts are merged into 300 new ones.
        var first = Enumerable.Range(0, 300).Select(v => Session((ulong)v, site, T0, stateBytes: 4000)).ToArray();
        await store.WriteAsync(lane, Write(1, T0, first), None);
        Assert.Equal((300, 599), await PartRangeAsync(lane));
        Assert.Equal(300, await StoredPartsAsync(lane));
        AssertSessions(first, await Store.ReadAsync(lane, None));

        // 350 new ones an hour later, the first ones expired: merged again, only the new ones are left.
        var second = Enumerable.Range(1000, 350).Select(v => Session((ulong)v, site, T0.AddHours(1), stateBytes: 4000)).ToArray();
        await store.WriteAsync(lane, Write(2, T0.AddHours(1), second, expireBefore: T0.AddMinutes(30)), None);
        AssertSessions(second, await Store.ReadAsync(lane, None));
        Assert.Equal(350, await StoredPartsAsync(lane));

        // One big session that has already expired with everything else: the merge keeps nothing, and no part is left.
        await store.WriteAsync(lane, Write(3, T0.AddHours(3), [Session(5000, site, T0, stateBytes: 1_500_000)], expireBefore: T0.AddHours(2)), None);
        var (firstPart, lastPart) = await PartRangeAsync(lane);
        Assert.Equal(firstPart - 1, lastPart);
        Assert.Equal(0, await StoredPartsAsync(lane));
        var stored = await Store.ReadAsync(lane, None);
        Assert.Equal(3, stored.Offset);
        Assert.Empty(stored.Sessions);
    }

    /// <summary>
    /// A lane that had not heard of an erasure yet may checkpoint a session of the site after it: the lane's next compaction
    /// leaves it out (the site stays noted for compactions for a day), so no part holds it any more.
    /// </summary>
    [Fact]
    public async Task A_compaction_leaves_out_the_sessions_of_a_site_erased_before_it()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("erased-compaction");
        var (site, keep) = (NewSite("erased-compaction"), NewSite("kept-compaction"));
        var kept = Session(2, keep, T0);
        await Store.WriteAsync(lane, Write(1, T0, [Session(1, site, T0), kept]), None);
        await Store.DeleteSiteAsync(site, None);
        Assert.DoesNotContain(site, await PartsTextAsync(lane));

        // A late session of the site, then a checkpoint past the 1 MiB floor: it compacts.
        await Store.WriteAsync(lane, Write(2, T0.AddMinutes(1), [Session(3, site, T0.AddMinutes(1))]), None);
        Assert.Contains(site, await PartsTextAsync(lane)); // control: stored until the compaction below
        var big = Session(4, keep, T0.AddMinutes(2), stateBytes: 1_100_000);
        await Store.WriteAsync(lane, Write(3, T0.AddMinutes(2), [big]), None);

        Assert.True((await PartRangeAsync(lane)).First > 0); // compacted
        Assert.DoesNotContain(site, await PartsTextAsync(lane));
        AssertSessions([kept, big], await Store.ReadAsync(lane, None));
    }

    /// <summary>
    /// The parts a crash can leave beside the committed ones: below them (a compaction that committed, then failed before
    /// its deletes) and past them (a checkpoint that never reached its commit). Erasure reaches both.
    /// </summary>
    [Fact]
    public async Task Deleting_a_site_removes_parts_left_below_the_committed_ones_and_its_records_from_parts_past_them()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("erase-leftovers");
        var (site, keep) = (NewSite("erase-leftovers"), NewSite("keep-leftovers"));
        StoredLaneSession[] sessions = [Session(1, site, T0), Session(2, keep, T0)];
        await Store.WriteAsync(lane, Write(10, T0, sessions), None);
        // A compaction into part 1 that committed, its delete of part 0 never done; a checkpoint's part 2, never committed.
        await InsertPartAsync(lane, 1, sessions);
        await fixture.Session.ExecuteAsync(new CqlStatement($"UPDATE {fixture.Keyspace}.lane_parts SET first_part = 1, last_part = 1 WHERE lane = ?", lane)
        {
            Prepare = true,
        });
        await InsertPartAsync(lane, 2, [Session(3, site, T0.AddMinutes(1)), Session(4, keep, T0.AddMinutes(1))]);
        Assert.Equal(3, (await PartsTextAsync(lane)).Split(site).Length - 1); // control: parts 0, 1 and 2 name it

        var other = await OpenAsync(new CassandraLaneStateStoreOptions());
        await other.DeleteSiteAsync(site, None);

        Assert.DoesNotContain(site, await PartsTextAsync(lane));
        Assert.Equal(2, await CountAsync($"SELECT part FROM {fixture.Keyspace}.lane_parts WHERE lane = ?", lane)); // part 0 is gone
        var stored = await other.ReadAsync(lane, None);
        Assert.Equal(10, stored.Offset);
        AssertSessions([sessions[1]], stored);

        // The erasure rewrote part 2 with its old write time (plus one): the next checkpoint, numbered 2, still replaces it.
        var next = Session(5, keep, T0.AddMinutes(2));
        await other.WriteAsync(lane, Write(11, T0.AddMinutes(2), [next]), None);
        AssertSessions([sessions[1], next], await Store.ReadAsync(lane, None));
    }

    /// <summary>A keyspace where no earlier build stored lanes: reading a lane finds no earlier tables and is simply empty.</summary>
    [Fact]
    public async Task A_lane_never_written_reads_as_empty_where_the_earlier_tables_do_not_exist()
    {
        if (!Available)
        {
            return;
        }

        var store = await OpenAsync(new CassandraLaneStateStoreOptions { TablePrefix = "lanes_since45" });
        var lane = NewLane("fresh");

        Assert.Equal(-1, (await store.ReadAsync(lane, None)).Offset);
        await store.WriteAsync(lane, Write(3, T0, [Session(1, NewSite("fresh"), T0)]), None);
        Assert.Equal(3, (await store.ReadAsync(lane, None)).Offset);
    }

    /// <summary>
    /// A lane checkpointed by a build before the log of parts: a row per session in lane_state, the sessions of a big
    /// checkpoint staged in lane_staged. Its first read carries the checkpoint over whole into the parts.
    /// </summary>
    [Fact]
    public async Task A_lane_checkpointed_in_the_earlier_tables_reads_whole_and_is_carried_over_into_parts()
    {
        if (!Available)
        {
            return;
        }

        var k = fixture.Keyspace;
        await fixture.Session.ExecuteAsync(new CqlStatement($"""
            CREATE TABLE IF NOT EXISTS {k}.lane_state (
                lane text, visitor bigint, site text, session_end bigint, state blob,
                lane_offset bigint static, watermark bigint static, expire_before bigint static, staged uuid static,
                PRIMARY KEY (lane, visitor))
            """));
        await fixture.Session.ExecuteAsync(new CqlStatement($"""
            CREATE TABLE IF NOT EXISTS {k}.lane_staged (
                lane text, write_id uuid, visitor bigint, site text, session_end bigint, state blob,
                PRIMARY KEY ((lane, write_id), visitor))
            """));
        var lane = NewLane("earlier");
        var site = NewSite("earlier");
        var write = Guid.NewGuid();
        var erased = NewSite("earlier-erased");
        StoredLaneSession[] rows =
            [Session(1, site, T0), Session(2, site, T0), Session(3, site, T0.AddHours(-2)), Session(ulong.MaxValue, site, T0), Session(4, erased, T0)];
        var staged = Session(2, site, T0.AddMinutes(1), version: 2);
        await fixture.Session.ExecuteAsync(new CqlStatement($"UPDATE {k}.lane_state SET lane_offset = ?, watermark = ?, expire_before = ?, staged = ? WHERE lane = ?",
            77L, T0.AddMinutes(1).Ticks, T0.AddHours(-1).Ticks, write, lane) { Prepare = true });
        foreach (var (table, session) in rows.Select(r => ("lane_state", r)).Append(("lane_staged", staged)))
        {
            var (columns, values) = table == "lane_state"
                ? ("lane, visitor", new object[] { lane, unchecked((long)session.Visitor) })
                : ("lane, write_id, visitor", new object[] { lane, write, unchecked((long)session.Visitor) });
            await fixture.Session.ExecuteAsync(new CqlStatement($"INSERT INTO {k}.{table} ({columns}, site, session_end, state) VALUES ({string.Join(", ", values.Select(_ => "?"))}, ?, ?, ?)",
                [.. values, session.Site, session.End.Ticks, session.State.ToArray()]) { Prepare = true });
        }

        // A site erased before the lane was carried over: its row goes from the earlier table, and is not carried over.
        Assert.Equal(1, await CountAsync($"SELECT visitor FROM {k}.lane_state WHERE lane = ? AND visitor = 4", lane));
        await Store.DeleteSiteAsync(erased, None);
        Assert.Equal(0, await CountAsync($"SELECT visitor FROM {k}.lane_state WHERE lane = ? AND visitor = 4", lane));

        var stored = await Store.ReadAsync(lane, None);

        Assert.Equal(77, stored.Offset);
        Assert.Equal(T0.AddMinutes(1), stored.Watermark);
        // The staged session over its row; the one that ended before the expiry time left out.
        StoredLaneSession[] expected = [rows[0], staged, rows[3]];
        AssertSessions(expected, stored);
        Assert.Equal((0, 0), await PartRangeAsync(lane));
        var again = await (await OpenAsync(new CassandraLaneStateStoreOptions())).ReadAsync(lane, None);
        Assert.Equal(77, again.Offset);
        AssertSessions(expected, again);
    }

    /// <summary>Sessions of one lane share sites, pages and attributes: a part is stored packed, several times smaller than its records.</summary>
    [Fact]
    public async Task A_part_is_stored_packed_and_reads_back_as_its_records()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("packed");
        var site = NewSite("packed");
        // States alike but for a few bytes, as a lane's sessions are (the same attribute strings, other counters).
        var sessions = Enumerable.Range(0, 500).Select(v => new StoredLaneSession((ulong)v, site, T0,
            System.Text.Encoding.UTF8.GetBytes($"Chrome|Windows|https://www.google.com/|Organic Search|/pricing|{v}"))).ToArray();
        await Store.WriteAsync(lane, Write(1, T0, sessions), None);

        var row = (await fixture.Session.ExecuteAsync(new CqlStatement($"SELECT sessions FROM {fixture.Keyspace}.lane_parts WHERE lane = ? AND part = 0", lane)
        {
            Prepare = true,
        })).Rows.Single();
        var stored = row.GetBytes("sessions")!;
        var records = CassandraBlobCodec.Unpack(stored);
        Assert.Equal(sessions.Sum(LaneSessionRecords.Size), records.Length);
        Assert.True(stored.Length * 4 < records.Length, $"{stored.Length} bytes stored for {records.Length} of records");
        AssertSessions(sessions, await Store.ReadAsync(lane, None));
    }

    /// <summary>The lane's part rows; compaction deletes the parts it merged, so only the committed ones may be left.</summary>
    protected override async Task<long> StoredPartsAsync(string lane)
    {
        var (first, last) = await PartRangeAsync(lane);
        var rows = await CountAsync($"SELECT part FROM {fixture.Keyspace}.lane_parts WHERE lane = ?", lane);
        Assert.Equal(last - first + 1, rows);
        return rows;
    }

    [Fact]
    public void Options_that_cannot_work_are_refused()
    {
        Assert.Empty(CassandraLaneStateStoreOptionsValidator.Validate(new CassandraLaneStateStoreOptions()));
        Assert.Contains(CassandraLaneStateStoreOptionsValidator.Validate(new CassandraLaneStateStoreOptions { MaxBatchBytes = 64 * 1024 * 1024 }),
            e => e.Contains("MaxBatchBytes", StringComparison.Ordinal));
        Assert.Contains(CassandraLaneStateStoreOptionsValidator.Validate(new CassandraLaneStateStoreOptions { ReadPageSize = 0 }),
            e => e.Contains("ReadPageSize", StringComparison.Ordinal));
        Assert.Contains(CassandraLaneStateStoreOptionsValidator.Validate(new CassandraLaneStateStoreOptions { TablePrefix = "lane;drop" }),
            e => e.Contains("identifiers", StringComparison.Ordinal));
    }

    private async Task<CassandraLaneStateStore> OpenAsync(CassandraLaneStateStoreOptions options)
    {
        options.Client = fixture.ClientOptions();
        options.Keyspace = fixture.Keyspace;
        var store = new CassandraLaneStateStore(options);
        _stores.Add(store);
        await store.StartAsync(None);
        return store;
    }

    /// <summary>A part written as a store would, without its commit.</summary>
    private async Task InsertPartAsync(string lane, long part, IEnumerable<StoredLaneSession> sessions)
    {
        var records = new ArrayBufferWriter<byte>();
        foreach (var session in sessions)
        {
            LaneSessionRecords.Write(session, records);
        }

        await fixture.Session.ExecuteAsync(new CqlStatement($"INSERT INTO {fixture.Keyspace}.lane_parts (lane, part, sessions) VALUES (?, ?, ?)",
            lane, part, CassandraBlobCodec.Pack(records.WrittenSpan)) { Prepare = true });
    }

    /// <summary>Every part row of the lane (committed or not), unpacked, as UTF-8 text, to look for a site's name.</summary>
    private async Task<string> PartsTextAsync(string lane)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var row in fixture.Session.QueryAllAsync(new CqlStatement($"SELECT sessions FROM {fixture.Keyspace}.lane_parts WHERE lane = ?", lane)
        {
            Prepare = true,
            PageSize = 10,
        }))
        {
            text.Append(System.Text.Encoding.UTF8.GetString(CassandraBlobCodec.Unpack(row.GetBytes("sessions")))).Append('|');
        }

        return text.ToString();
    }

    /// <summary>The lane's committed parts, as its static columns name them.</summary>
    private async Task<(long First, long Last)> PartRangeAsync(string lane)
    {
        var row = (await fixture.Session.ExecuteAsync(new CqlStatement($"SELECT first_part, last_part FROM {fixture.Keyspace}.lane_parts WHERE lane = ? LIMIT 1", lane)
        {
            Prepare = true,
        })).Rows.Single();
        return (row.GetInt64("first_part"), row.GetInt64("last_part"));
    }

    /// <summary>Rows whose first column is set (a partition with only static columns reads as one row without a key).</summary>
    private async Task<int> CountAsync(string cql, params object[] values)
    {
        var count = 0;
        await foreach (var row in fixture.Session.QueryAllAsync(new CqlStatement(cql, values) { Prepare = true, PageSize = 1000 }))
        {
            count += row[0] is null ? 0 : 1;
        }

        return count;
    }
}

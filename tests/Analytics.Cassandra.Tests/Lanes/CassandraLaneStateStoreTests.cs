using System.Diagnostics;
using Analytics.Abstractions.Lanes;
using Analytics.Cassandra.Lanes;
using Analytics.Cassandra.Tests.Support;
using Analytics.Cql;
using Analytics.Testing;
using Xunit.Abstractions;

namespace Analytics.Cassandra.Tests.Lanes;

/// <summary>
/// The lane store contract on a real Cassandra, plus what is Cassandra's own: a lane's partition of 100,000 sessions read
/// back page by page, and checkpoints too big for one batch, staged and made visible whole by the last one.
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
    public async Task A_checkpoint_bigger_than_a_batch_is_staged_then_copied_and_reads_whole()
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
        // Half of them change, a hundred are new: about forty batches of 4 KiB.
        var second = Enumerable.Range(150, 250).Select(v => Session((ulong)v, site, T0.AddMinutes(1), version: 2)).ToArray();
        await store.WriteAsync(lane, Write(2, T0.AddMinutes(1), second), None);

        var stored = await Store.ReadAsync(lane, None);
        Assert.Equal(2, stored.Offset);
        AssertSessions(first.Take(150).Concat(second), stored);
        // It was staged (the lane points at the staged write), then copied into the lane's partition and dropped.
        Assert.NotNull((await fixture.Session.ExecuteAsync(new CqlStatement($"SELECT staged FROM {fixture.Keyspace}.lane_state WHERE lane = ? LIMIT 1", lane)
        {
            Prepare = true,
        })).Rows.Single()["staged"]);
        Assert.Equal(400, await CountAsync($"SELECT visitor FROM {fixture.Keyspace}.lane_state WHERE lane = ?", lane));
        Assert.Equal(0, await CountStagedAsync(lane));
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

    /// <summary>The state a crash leaves after some parts of a big checkpoint were staged, before its last batch: staged rows nothing points at.</summary>
    [Fact]
    public async Task Parts_staged_by_a_write_that_never_reached_its_last_batch_are_not_read()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("orphan");
        var site = NewSite("orphan");
        var before = new[] { Session(1, site, T0), Session(2, site, T0) };
        await Store.WriteAsync(lane, Write(10, T0, before), None);
        await StageAsync(lane, Guid.NewGuid(), [Session(2, site, T0.AddMinutes(1), version: 2), Session(3, site, T0.AddMinutes(1))]);

        var stored = await (await OpenAsync(new CassandraLaneStateStoreOptions())).ReadAsync(lane, None);

        Assert.Equal(10, stored.Offset);
        AssertSessions(before, stored);
    }

    /// <summary>
    /// The state a crash leaves after the last batch of a big checkpoint, before its staged parts were copied: the pointer
    /// is set, the staged sessions live only in their partition. Another silo's store reads the checkpoint whole and
    /// finishes the copy before the lane's next checkpoint.
    /// </summary>
    [Fact]
    public async Task A_checkpoint_whose_staged_parts_were_not_copied_yet_reads_whole_and_the_next_write_copies_them()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("unfinished");
        var site = NewSite("unfinished");
        var before = new[] { Session(1, site, T0), Session(2, site, T0), Session(3, site, T0) };
        await Store.WriteAsync(lane, Write(10, T0, before), None);
        var write = Guid.NewGuid();
        var staged = new[] { Session(2, site, T0.AddMinutes(1), version: 2), Session(4, site, T0.AddMinutes(1)) };
        await StageAsync(lane, write, staged);
        var last = Session(5, site, T0.AddMinutes(1));
        await fixture.Session.ExecuteBatchAsync(new CqlBatch(
        [
            new CqlStatement($"UPDATE {fixture.Keyspace}.lane_state SET lane_offset = ?, watermark = ?, expire_before = ?, staged = ? WHERE lane = ?",
                20L, T0.AddMinutes(1).Ticks, 0L, write, lane) { Prepare = true },
            new CqlStatement($"INSERT INTO {fixture.Keyspace}.lane_state (lane, visitor, site, session_end, state) VALUES (?, ?, ?, ?, ?)",
                lane, (long)last.Visitor, last.Site, last.End.Ticks, last.State) { Prepare = true },
        ]) { Type = CqlBatchType.Unlogged });

        var other = await OpenAsync(new CassandraLaneStateStoreOptions());
        var stored = await other.ReadAsync(lane, None);
        Assert.Equal(20, stored.Offset);
        AssertSessions([before[0], staged[0], before[2], staged[1], last], stored);

        var next = Session(6, site, T0.AddMinutes(2));
        await other.WriteAsync(lane, Write(30, T0.AddMinutes(2), [next]), None);

        Assert.Equal(0, await CountStagedAsync(lane));
        var after = await Store.ReadAsync(lane, None);
        Assert.Equal(30, after.Offset);
        AssertSessions([before[0], staged[0], before[2], staged[1], last, next], after);
    }

    [Fact]
    public async Task Deleting_a_site_reaches_sessions_staged_for_a_lane_too()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("erase-staged");
        var site = NewSite("erase-staged");
        var keep = NewSite("keep-staged");
        var write = Guid.NewGuid();
        await StageAsync(lane, write, [Session(1, site, T0), Session(2, keep, T0)]);

        await Store.DeleteSiteAsync(site, None);

        Assert.Equal(1, await CountAsync($"SELECT visitor FROM {fixture.Keyspace}.lane_staged WHERE lane = ? AND write_id = ?", lane, write));
    }

    [Fact]
    public void Options_that_cannot_work_are_refused()
    {
        Assert.Empty(CassandraLaneStateStoreOptionsValidator.Validate(new CassandraLaneStateStoreOptions()));
        Assert.Contains(CassandraLaneStateStoreOptionsValidator.Validate(new CassandraLaneStateStoreOptions { MaxBatchBytes = 64 * 1024 * 1024 }),
            e => e.Contains("MaxBatchBytes", StringComparison.Ordinal));
        Assert.Contains(CassandraLaneStateStoreOptionsValidator.Validate(new CassandraLaneStateStoreOptions { SessionTtl = TimeSpan.FromSeconds(5) }),
            e => e.Contains("SessionTtl", StringComparison.Ordinal));
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

    private async Task StageAsync(string lane, Guid write, IEnumerable<StoredLaneSession> sessions)
    {
        foreach (var s in sessions)
        {
            await fixture.Session.ExecuteAsync(new CqlStatement(
                $"INSERT INTO {fixture.Keyspace}.lane_staged (lane, write_id, visitor, site, session_end, state) VALUES (?, ?, ?, ?, ?, ?)",
                lane, write, unchecked((long)s.Visitor), s.Site, s.End.Ticks, s.State) { Prepare = true });
        }
    }

    /// <summary>The staged partitions (writes) of a lane that still hold rows.</summary>
    private async Task<int> CountStagedAsync(string lane)
    {
        var count = 0;
        await foreach (var row in fixture.Session.QueryAllAsync(new CqlStatement($"SELECT DISTINCT lane, write_id FROM {fixture.Keyspace}.lane_staged")))
        {
            count += row.GetString("lane") == lane ? 1 : 0;
        }

        return count;
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

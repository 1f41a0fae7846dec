using Analytics.Abstractions.Lanes;
using Xunit;

namespace Analytics.Testing;

/// <summary>
/// What every <see cref="ILaneStateStore"/> must do, run against each real one (SQLite file, Cassandra server) by a
/// derived test class that opens and closes the store.
/// </summary>
public abstract class LaneStateStoreContract : StoreContract<ILaneStateStore>
{
    protected static readonly DateTime T0 = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);

    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A lane name no other test (or earlier run on the same server) uses.</summary>
    protected static string NewLane(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A session whose state bytes differ per visitor and <paramref name="version"/>, so states cannot be mistaken for one another.</summary>
    protected static StoredLaneSession Session(ulong visitor, string site, DateTime end, int version = 1, int stateBytes = 48)
    {
        var state = new byte[stateBytes];
        new Random(HashCode.Combine(visitor, version)).NextBytes(state);
        return new StoredLaneSession(visitor, site, end, state);
    }

    protected static LaneCheckpointWrite Write(long offset, DateTime watermark, IReadOnlyList<StoredLaneSession> sessions, DateTime? expireBefore = null) =>
        new(offset, watermark, sessions, expireBefore ?? DateTime.MinValue);

    /// <summary>The stored sessions keyed by visitor, each as a comparable tuple (site, end, state).</summary>
    protected static Dictionary<ulong, (string Site, DateTime End, string State)> ByVisitor(IEnumerable<StoredLaneSession> sessions) =>
        sessions.ToDictionary(s => s.Visitor, s => (s.Site, s.End, Convert.ToHexString(s.State.Span)));

    /// <summary>How many parts (or rows) the store holds for the lane, to see that compaction took place.</summary>
    protected abstract Task<long> StoredPartsAsync(string lane);

    protected static void AssertSessions(IEnumerable<StoredLaneSession> expected, LaneCheckpoint actual) =>
        Assert.Equal(ByVisitor(expected).OrderBy(p => p.Key), ByVisitor(actual.Sessions).OrderBy(p => p.Key));

    [Fact]
    public async Task A_lane_never_written_reads_as_the_empty_checkpoint()
    {
        if (!Available)
        {
            return;
        }

        var stored = await Store.ReadAsync(NewLane("empty"), None);

        Assert.Equal(-1, stored.Offset);
        Assert.Equal(DateTime.MinValue, stored.Watermark);
        Assert.Empty(stored.Sessions);
    }

    [Fact]
    public async Task A_checkpoint_reads_back_with_its_offset_watermark_and_every_session_byte_for_byte()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("roundtrip");
        var site = NewSite("roundtrip");
        StoredLaneSession[] sessions =
        [
            Session(1, site, T0),
            // The whole 64-bit range of the visitor hash, an empty state, a non-ASCII site, millisecond times.
            Session(ulong.MaxValue, site, T0.AddMinutes(3).AddMilliseconds(7)),
            Session(0x8000_0000_0000_0000, "bücher-é.test", T0.AddSeconds(1), stateBytes: 0),
            Session(42, site, T0.AddHours(-1), stateBytes: 4000),
        ];
        await Store.WriteAsync(lane, Write(1_234_567_890_123, T0.AddMinutes(5), sessions), None);

        var stored = await Store.ReadAsync(lane, None);

        Assert.Equal(1_234_567_890_123, stored.Offset);
        Assert.Equal(T0.AddMinutes(5), stored.Watermark);
        Assert.Equal(DateTimeKind.Utc, stored.Watermark.Kind);
        AssertSessions(sessions, stored);
        Assert.All(stored.Sessions, s => Assert.Equal(DateTimeKind.Utc, s.End.Kind));
    }

    [Fact]
    public async Task A_later_checkpoint_replaces_the_offset_and_the_sessions_it_carries_and_keeps_the_others()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("upsert");
        var other = NewLane("upsert-other");
        var site = NewSite("upsert");
        var first = new[] { Session(1, site, T0), Session(2, site, T0), Session(3, site, T0) };
        await Store.WriteAsync(lane, Write(10, T0, first), None);
        await Store.WriteAsync(other, Write(7, T0, [Session(1, site, T0, version: 9)]), None);

        var second = new[] { Session(2, site, T0.AddMinutes(1), version: 2), Session(4, site, T0.AddMinutes(1)) };
        await Store.WriteAsync(lane, Write(20, T0.AddMinutes(1), second), None);
        // A checkpoint without sessions (a batch of events that changed none, e.g. all skipped) still moves the offset.
        await Store.WriteAsync(lane, Write(25, T0.AddMinutes(2), []), None);

        var stored = await Store.ReadAsync(lane, None);
        Assert.Equal(25, stored.Offset);
        Assert.Equal(T0.AddMinutes(2), stored.Watermark);
        AssertSessions([first[0], second[0], first[2], second[1]], stored);

        // Lanes are apart: the same visitor hash in another lane is another session.
        var untouched = await Store.ReadAsync(other, None);
        Assert.Equal(7, untouched.Offset);
        AssertSessions([Session(1, site, T0, version: 9)], untouched);
    }

    [Fact]
    public async Task Sessions_that_ended_before_a_checkpoints_expiry_time_are_no_longer_read()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("expiry");
        var site = NewSite("expiry");
        var old = Session(1, site, T0.AddMinutes(-40));
        var edge = Session(2, site, T0.AddMinutes(-30));
        var open = Session(3, site, T0.AddMinutes(-5));
        await Store.WriteAsync(lane, Write(1, T0.AddMinutes(-5), [old, edge, open]), None);

        var renewed = Session(1, site, T0, version: 2);
        await Store.WriteAsync(lane, Write(2, T0, [renewed], expireBefore: T0.AddMinutes(-30)), None);

        var stored = await Store.ReadAsync(lane, None);
        Assert.Equal(2, stored.Offset);
        // Ended before the expiry time: gone; ended at it or later: kept; renewed in the same write: kept.
        AssertSessions([renewed, edge, open], stored);
    }

    [Fact]
    public async Task Deleting_a_site_removes_its_sessions_from_every_lane_and_keeps_the_offsets_and_other_sites()
    {
        if (!Available)
        {
            return;
        }

        var site = NewSite("erase");
        var keep = NewSite("keep");
        var lanes = new[] { NewLane("erase-a"), NewLane("erase-b") };
        foreach (var (lane, i) in lanes.Select((l, i) => (l, i)))
        {
            await Store.WriteAsync(lane, Write(100 + i, T0, [Session(1, site, T0), Session(2, keep, T0), Session(3, site, T0)]), None);
        }

        await Store.DeleteSiteAsync(site, None);

        foreach (var (lane, i) in lanes.Select((l, i) => (l, i)))
        {
            var stored = await Store.ReadAsync(lane, None);
            Assert.Equal(100 + i, stored.Offset);
            AssertSessions([Session(2, keep, T0)], stored);
        }
    }

    [Fact]
    public async Task Checkpoints_of_many_lanes_written_at_once_are_each_stored_whole()
    {
        if (!Available)
        {
            return;
        }

        var site = NewSite("concurrent");
        var lanes = Enumerable.Range(0, 12).Select(i => NewLane($"concurrent{i}")).ToArray();
        // Each lane writes its checkpoints in order (as a lane grain does); the lanes run side by side.
        await Task.WhenAll(lanes.Select(async lane =>
        {
            for (var offset = 1; offset <= 10; offset++)
            {
                var sessions = Enumerable.Range(0, 20).Select(v => Session((ulong)v, site, T0.AddSeconds(offset), version: offset)).ToArray();
                await Store.WriteAsync(lane, Write(offset, T0.AddSeconds(offset), sessions), None);
            }
        }));

        foreach (var lane in lanes)
        {
            var stored = await Store.ReadAsync(lane, None);
            Assert.Equal(10, stored.Offset);
            AssertSessions(Enumerable.Range(0, 20).Select(v => Session((ulong)v, site, T0.AddSeconds(10), version: 10)), stored);
        }
    }

    /// <summary>Enough checkpoints to compact a lane several times: the sessions read are the latest of each visitor, expired ones gone.</summary>
    [Fact]
    public async Task Compaction_keeps_the_latest_session_of_each_visitor_and_drops_expired_ones()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("compaction");
        var site = NewSite("compaction");
        var latest = await WriteUntilCompactedAsync(lane, [site]);

        var stored = await Store.ReadAsync(lane, None);
        Assert.Equal(40, stored.Offset);
        AssertSessions(latest.Values.Where(s => s.End >= T0.AddMinutes(35)), stored);
        // Compacted at least once: far fewer than the 40 parts appended.
        Assert.InRange(await StoredPartsAsync(lane), 1, 20);
    }

    [Fact]
    public async Task Deleting_a_site_after_its_lanes_compacted_removes_its_sessions_and_keeps_the_others()
    {
        if (!Available)
        {
            return;
        }

        var lane = NewLane("compacted-erase");
        var (site, keep) = (NewSite("compacted-erase"), NewSite("compacted-keep"));
        var latest = await WriteUntilCompactedAsync(lane, [keep, site]);

        await Store.DeleteSiteAsync(site, None);

        var stored = await Store.ReadAsync(lane, None);
        Assert.Equal(40, stored.Offset);
        AssertSessions(latest.Values.Where(s => s.End >= T0.AddMinutes(35) && s.Site == keep), stored);
    }

    /// <summary>
    /// 40 checkpoints of 1000 of 3000 visitors (about 120 KB each; past the 1 MiB floor a lane compacts every ten or so),
    /// the visitors spread over <paramref name="sites"/>, each expiring what ended 5 minutes before it; returns the latest session per visitor.
    /// </summary>
    private async Task<Dictionary<ulong, StoredLaneSession>> WriteUntilCompactedAsync(string lane, string[] sites)
    {
        var latest = new Dictionary<ulong, StoredLaneSession>();
        for (var w = 1; w <= 40; w++)
        {
            var now = T0.AddMinutes(w);
            var sessions = Enumerable.Range(0, 1000).Select(i => (ulong)((i * 7 + (w * 1000)) % 3000))
                .Select(v => Session(v, sites[(int)(v % (ulong)sites.Length)], now, version: w)).ToArray();
            await Store.WriteAsync(lane, Write(w, now, sessions, expireBefore: now.AddMinutes(-5)), None);
            foreach (var session in sessions)
            {
                latest[session.Visitor] = session;
            }
        }

        return latest;
    }
}

using System.Buffers;
using Analytics.Abstractions.Lanes;

namespace Analytics.Tests.Lanes;

/// <summary>The lane stores' shared part format and merge: records read back as written, the latest per visitor wins, parts stay bounded.</summary>
public sealed class LaneSessionCompactionTests
{
    private static readonly DateTime T0 = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Records_read_back_as_written_one_after_another()
    {
        StoredLaneSession[] sessions =
        [
            new(ulong.MaxValue, "bücher-é.test", T0.AddTicks(7), new byte[] { 1, 2, 3 }),
            new(0, "a.test", new DateTime(0, DateTimeKind.Utc), Array.Empty<byte>()),
            new(42, "b.test", T0, Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray()),
        ];
        var records = Part(sessions);
        Assert.Equal(sessions.Sum(LaneSessionRecords.Size), records.Length);

        ReadOnlySpan<byte> rest = records;
        foreach (var expected in sessions)
        {
            Assert.Equal(LaneSessionRecords.Size(expected), LaneSessionRecords.Length(rest));
            var read = LaneSessionRecords.Read(ref rest);
            Assert.Equal((expected.Visitor, expected.Site, expected.End), (read.Visitor, read.Site, read.End));
            Assert.Equal(DateTimeKind.Utc, read.End.Kind);
            Assert.Equal(expected.State.ToArray(), read.State.ToArray());
        }

        Assert.True(rest.IsEmpty);
    }

    [Fact]
    public void The_latest_record_of_each_visitor_is_kept_without_expired_ones_and_the_site_being_erased()
    {
        var compaction = new LaneSessionCompaction(1024 * 1024);
        compaction.Add(Part([Session(1, "a.test", T0, 1), Session(2, "a.test", T0, 1), Session(3, "gone.test", T0, 1), Session(4, "a.test", T0.AddMinutes(-40), 1)]));
        compaction.Add(Part([Session(2, "a.test", T0.AddMinutes(1), 2), Session(5, "gone.test", T0.AddMinutes(1), 2)]));
        // A visitor seen again in a later part with an older end still takes that part's record: parts are in write order.
        compaction.Add(Part([Session(1, "a.test", T0.AddMinutes(-1), 3)]));

        var kept = Read(compaction.Parts(T0.AddMinutes(-30).Ticks, ["gone.test", "never.test"]));

        Assert.Equal(
            [(1UL, T0.AddMinutes(-1), (byte)3), (2UL, T0.AddMinutes(1), (byte)2)],
            kept.Select(s => (s.Visitor, s.End, s.State.Span[0])).OrderBy(s => s.Visitor));
    }

    [Fact]
    public void Parts_hold_whole_records_up_to_the_size_and_a_bigger_record_alone()
    {
        var compaction = new LaneSessionCompaction(1000);
        var sessions = Enumerable.Range(0, 40).Select(v => Session((ulong)v, "a.test", T0, 1, stateBytes: 100)).Append(Session(99, "a.test", T0, 1, stateBytes: 3000)).ToList();
        compaction.Add(Part(sessions));

        var sizes = new List<int>();
        var read = new List<StoredLaneSession>();
        foreach (var part in compaction.Parts(long.MinValue, dropSites: null))
        {
            sizes.Add(part.Length);
            read.AddRange(Read([part]));
        }

        Assert.Equal(sessions.Select(s => s.Visitor).Order(), read.Select(s => s.Visitor).Order());
        // Records of 130 bytes, seven to a part; the five left over go out when the 3,030-byte one does not fit beside them.
        Assert.Equal([910, 910, 910, 910, 910, 650, 3030], sizes);
    }

    private static StoredLaneSession Session(ulong visitor, string site, DateTime end, byte version, int stateBytes = 8) =>
        new(visitor, site, end, Enumerable.Repeat(version, stateBytes).ToArray());

    private static byte[] Part(IEnumerable<StoredLaneSession> sessions)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var session in sessions)
        {
            LaneSessionRecords.Write(session, buffer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static List<StoredLaneSession> Read(IEnumerable<ReadOnlyMemory<byte>> parts)
    {
        var sessions = new List<StoredLaneSession>();
        foreach (var part in parts)
        {
            var rest = part.Span;
            while (!rest.IsEmpty)
            {
                sessions.Add(LaneSessionRecords.Read(ref rest));
            }
        }

        return sessions;
    }
}

using Analytics.Grains.Segments;
using Xunit.Abstractions;
using static Analytics.Tests.Segments.SegmentBuilderTests;

namespace Analytics.Tests.Segments;

/// <summary>
/// What an open segment holds per row, measured as the managed heap grows: alone in the test run (see
/// <see cref="HeapMeasurements"/>), so other tests' allocations do not count.
/// </summary>
[Collection(nameof(HeapMeasurements))]
public sealed class SegmentBuilderMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void An_open_segment_holds_an_event_in_under_100_bytes_and_a_session_in_under_300()
    {
        var appends = LaneAppends(seed: 21, out _, sessions: 20_000);
        var events = appends.Sum(a => a.Events.Count);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var builder = new SegmentBuilder(Key);
        foreach (var append in appends)
        {
            builder.Apply(append with { Sessions = [] });
        }

        var built = builder.Build();
        var perEvent = (double)(GC.GetTotalMemory(forceFullCollection: true) - before) / events;

        // Sessions alone: every snapshot a lane sent, the latest kept.
        before = GC.GetTotalMemory(forceFullCollection: true);
        var sessions = new SegmentBuilder(Key);
        foreach (var append in appends)
        {
            sessions.Apply(append with { Events = [] });
        }

        var builtSessions = sessions.Build();
        var perSession = (double)(GC.GetTotalMemory(forceFullCollection: true) - before) / sessions.SessionCount;

        // The appends (and the rows' strings) are alive before and after: what is measured is what the builders add, their
        // columns, dictionaries, versions and built segment.
        output.WriteLine($"{perEvent:F0} B/event ({events:N0} events), {perSession:F0} B/session ({sessions.SessionCount:N0} sessions)");
        Assert.Equal(events, built.EventCount);
        Assert.Equal(20_000, builtSessions.SessionCount);
        Assert.InRange(perEvent, 20, 100);
        Assert.InRange(perSession, 60, 300);
        GC.KeepAlive(builder);
        GC.KeepAlive(sessions);
    }
}

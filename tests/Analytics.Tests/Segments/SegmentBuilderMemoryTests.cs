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

        var (eventBytes, built) = Retained(() =>
        {
            var builder = new SegmentBuilder(Key);
            foreach (var append in appends)
            {
                builder.Apply(append with { Sessions = [] });
            }

            return (builder, builder.Build());
        });

        // Sessions alone: every snapshot a lane sent, the latest kept.
        var (sessionBytes, builtSessions) = Retained(() =>
        {
            var builder = new SegmentBuilder(Key);
            foreach (var append in appends)
            {
                builder.Apply(append with { Events = [] });
            }

            return (builder, builder.Build());
        });

        var perEvent = (double)eventBytes / events;
        var perSession = (double)sessionBytes / builtSessions.SessionCount;
        output.WriteLine($"{perEvent:F0} B/event ({events:N0} events), {perSession:F0} B/session ({builtSessions.SessionCount:N0} sessions)");
        Assert.Equal(events, built.EventCount);
        Assert.Equal(20_000, builtSessions.SessionCount);
        Assert.InRange(perEvent, 20, 100);
        Assert.InRange(perSession, 60, 300);
    }

    /// <summary>
    /// The heap a builder and its built segment keep, the least of three builds: the appends (and the rows' strings) are
    /// alive before and after, so what is measured is what the builder adds, its columns, dictionaries, versions and built
    /// segment. Whatever else the process keeps meanwhile (a timer of an earlier test's host) only adds, hence the least.
    /// </summary>
    private static (long Bytes, Segment Built) Retained(Func<(SegmentBuilder Builder, Segment Built)> build)
    {
        var least = long.MaxValue;
        Segment? built = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var made = build();
            var bytes = GC.GetTotalMemory(forceFullCollection: true) - before;
            GC.KeepAlive(made.Builder);
            least = Math.Min(least, bytes);
            built = made.Built;
        }

        return (least, built!);
    }
}

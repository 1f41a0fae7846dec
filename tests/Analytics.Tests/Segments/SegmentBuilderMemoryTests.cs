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

        var (eventBytes, built, eventReadings) = Retained(() =>
        {
            var builder = new SegmentBuilder(Key);
            foreach (var append in appends)
            {
                builder.Apply(append with { Sessions = [] });
            }

            return (builder, builder.Build());
        });

        // Sessions alone: every snapshot a lane sent, the latest kept.
        var (sessionBytes, builtSessions, sessionReadings) = Retained(() =>
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
        output.WriteLine($"{perEvent:F0} B/event ({events:N0} events; bytes per build {eventReadings}), {perSession:F0} B/session ({builtSessions.SessionCount:N0} sessions; {sessionReadings})");
        Assert.Equal(events, built.EventCount);
        Assert.Equal(20_000, builtSessions.SessionCount);
        Assert.InRange(perEvent, 20, 100);
        Assert.InRange(perSession, 60, 300);
    }

    /// <summary>
    /// The heap after full collections until two in a row agree within 64 KiB: a collection's callbacks release what the
    /// next one frees (the shared array pool trims arrays earlier tests left there), which would count against a build.
    /// </summary>
    private static long SettledHeap()
    {
        var last = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 10; i++)
        {
            var now = GC.GetTotalMemory(forceFullCollection: true);
            if (Math.Abs(now - last) < 64 * 1024)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    /// <summary>
    /// The heap a builder and its built segment keep, the median of five builds: the appends (and the rows' strings) are
    /// alive before and after, so what is measured is what the builder adds, its columns, dictionaries, versions and built
    /// segment. Whatever else the process does meanwhile (an earlier test's host still allocating, or being collected)
    /// moves a single reading either way; the median keeps the builds it did not disturb.
    /// </summary>
    private static (long Bytes, Segment Built, string Readings) Retained(Func<(SegmentBuilder Builder, Segment Built)> build)
    {
        var readings = new List<long>();
        Segment? built = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var before = SettledHeap();
            var made = build();
            readings.Add(SettledHeap() - before);
            GC.KeepAlive(made.Builder);
            built = made.Built;
        }

        readings.Sort();
        return (readings[readings.Count / 2], built!, string.Join(" ", readings.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))));
    }
}

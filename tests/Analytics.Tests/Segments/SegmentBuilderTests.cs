using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// The open segment (<see cref="SegmentBuilder"/>): row-by-row gating on producer sequences, session snapshots replacing
/// older versions, reopening a sealed segment, building after each append against building once.
/// </summary>
public sealed class SegmentBuilderTests
{
    internal static readonly SegmentKey Key = SegmentKey.Of(Site, Day);

    private static readonly string[] Metrics =
    [
        MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.Events, MetricNames.BounceRate,
        MetricNames.VisitDuration, MetricNames.ViewsPerVisit, MetricNames.TimeOnPage, MetricNames.TotalRevenue,
    ];

    [Fact]
    public void Rows_at_or_below_their_producers_position_are_skipped_one_by_one()
    {
        var builder = new SegmentBuilder(Key);
        var session = Session(1, 1, Day.AddHours(9), TimeSpan.FromMinutes(5), "/", "/", 1, 1, bounce: true);
        EventRow View(int minute) => Pageview(1, 1, Day.AddHours(9).AddMinutes(minute), "/p" + minute);

        Assert.True(builder.Apply(new SegmentAppend { Producer = 7, Sequence = 3, EventSequences = [1, 2, 3], Events = [View(1), View(2), View(3)], Sessions = [session] }));
        // A redelivery cut differently: rows 2 and 3 again, then two new ones.
        Assert.True(builder.Apply(new SegmentAppend { Producer = 7, Sequence = 5, EventSequences = [2, 3, 4, 5], Events = [View(2), View(3), View(4), View(5)] }));
        Assert.False(builder.Apply(new SegmentAppend { Producer = 7, Sequence = 5, EventSequences = [4, 5], Events = [View(4), View(5)] }));
        // Another producer has a position of its own.
        Assert.True(builder.Apply(new SegmentAppend { Producer = 8, Sequence = 1, Events = [View(6)] }));

        Assert.Equal(6, builder.EventCount);
        var pages = Lines(Run(builder.Build(), Ask([MetricNames.Pageviews], [Dimensions.Page])));
        Assert.Equal(["/p1=1", "/p2=1", "/p3=1", "/p4=1", "/p5=1", "/p6=1"], pages.Order());
    }

    [Fact]
    public void A_newer_snapshot_replaces_the_session_built_or_open_and_an_older_one_changes_nothing()
    {
        var builder = new SegmentBuilder(Key);
        var first = Session(1, 1, Day.AddHours(9), TimeSpan.Zero, "/", "/", 1, 1, bounce: true);
        var other = Session(2, 2, Day.AddHours(10), TimeSpan.Zero, "/docs", "/docs", 1, 1, bounce: true, source: "Google");
        builder.Apply(new SegmentAppend
        {
            Producer = 1,
            Sequence = 1,
            Sessions = [first, other],
            Events = [Pageview(1, 1, first.Start, "/"), Pageview(2, 2, other.Start, "/docs")],
        });
        var exits = Ask([MetricNames.Visits, MetricNames.BounceRate], [Dimensions.ExitPage]);
        Assert.Equal(["/=1,100", "/docs=1,100"], Lines(Run(builder.Build(), exits)).Order());

        // Replaces the built row; the older snapshot that arrives after it is ignored.
        Assert.True(builder.Apply(new SegmentAppend { Producer = 1, Sequence = 2, Sessions = [first with { Version = 3, ExitPage = "/pricing", Pageviews = 3, Events = 3, Bounce = false, End = first.End.AddMinutes(4) }] }));
        Assert.False(builder.Apply(new SegmentAppend { Producer = 1, Sequence = 2, Sessions = [first with { Version = 2, ExitPage = "/old" }] }));
        Assert.Equal(["/docs=1,100", "/pricing=1,0"], Lines(Run(builder.Build(), exits)).Order());

        // Two snapshots of one session before a build: the open row is replaced in place.
        builder.Apply(new SegmentAppend { Producer = 1, Sequence = 3, Sessions = [other with { Version = 2, ExitPage = "/a", Bounce = false }] });
        builder.Apply(new SegmentAppend { Producer = 1, Sequence = 4, Sessions = [other with { Version = 3, ExitPage = "/b", Bounce = false }] });
        Assert.Equal(2, builder.SessionCount);
        Assert.Equal(["/b=1,0", "/pricing=1,0"], Lines(Run(builder.Build(), exits)).Order());
        Assert.Equal(["=2,0,120"], Lines(Run(builder.Build(), Ask([MetricNames.Visits, MetricNames.BounceRate, MetricNames.VisitDuration]))));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(14)]
    public void Building_after_every_append_gives_the_segment_built_once_from_all_rows(int seed)
    {
        var appends = LaneAppends(seed, out var rows);
        var incremental = new SegmentBuilder(Key);
        foreach (var append in appends)
        {
            incremental.Apply(append);
            incremental.Build();
        }

        var once = new SegmentBuilder(Key);
        foreach (var append in appends)
        {
            once.Apply(append);
        }

        Assert.True(rows > 500);
        AssertSame(once.Build(), incremental.Build());
        Assert.Equal(once.EventCount, incremental.EventCount);
        Assert.Equal(once.SessionCount, incremental.SessionCount);
    }

    [Fact]
    public void A_reopened_segment_takes_appends_as_the_open_one_would_and_skips_what_it_has()
    {
        var appends = LaneAppends(seed: 5, out _);
        var half = appends.Count / 2;
        var open = new SegmentBuilder(Key);
        foreach (var append in appends.Take(half))
        {
            open.Apply(append);
        }

        var reopened = SegmentBuilder.Reopen(Segment.Read(open.Build().Write()));
        Assert.All(appends.Take(half), a => Assert.False(reopened.Apply(a)));
        foreach (var append in appends.Skip(half))
        {
            Assert.True(reopened.Apply(append));
            open.Apply(append);
        }

        AssertSame(open.Build(), reopened.Build());
        AssertSame(open.Build(), Segment.Read(reopened.Build().Write()));
    }

    [Fact]
    public void Sessions_are_ordered_by_id_as_their_events_are_whatever_their_starts()
    {
        // Ids against starts: session 5 starts first, session 1 last; half built, half open when the segment is built.
        var builder = new SegmentBuilder(Key);
        var sessions = Enumerable.Range(1, 6).Select(i => Session((ulong)i, (ulong)i, Day.AddHours(12 - i), TimeSpan.Zero, "/", "/", 1, 1, bounce: true)).ToList();
        for (var part = 0; part < 2; part++)
        {
            var these = sessions.Where(x => x.SessionId % 2 == (ulong)part).ToList();
            builder.Apply(new SegmentAppend { Producer = 1, Sequence = part + 1, Sessions = these, Events = [.. these.Select(x => Pageview(x.SessionId, x.Visitor, x.Start, "/"))] });
            builder.Build();
        }

        var segment = Segment.Read(builder.Build().Write());
        Assert.Equal([1UL, 2, 3, 4, 5, 6], segment.Sessions.Ids.ToArray());
        // What the scanner reads in order: each event's session row, rising along the events.
        Assert.Equal([0, 1, 2, 3, 4, 5], segment.SessionOfEvent);
    }

    /// <summary>Equal rows in equal order: every event with its session's columns (the export table) and the same answers.</summary>
    private static void AssertSame(Segment expected, Segment actual)
    {
        Assert.Equal(expected.EventCount, actual.EventCount);
        Assert.Equal(expected.SessionCount, actual.SessionCount);
        Assert.Equal(SegmentExport.Write(expected, Day, Day.AddDays(3)), SegmentExport.Write(actual, Day, Day.AddDays(3)));
        foreach (var query in Queries())
        {
            Assert.Equal(Lines(Run(expected, query)), Lines(Run(actual, query)));
        }
    }

    private static IEnumerable<StatsQuery> Queries()
    {
        var to = Day.AddDays(3);
        yield return Ask(Metrics, to: to);
        yield return Ask(Metrics, [Dimensions.Page], to: to);
        yield return Ask(Metrics, [Dimensions.ExitPage, Dimensions.Source], to: to);
        yield return Ask(Metrics, [Dimensions.UtmSource, "time:hour"], to: to);
        yield return Ask(Metrics, ["event:props:plan"], filter: Is(Dimensions.Source, "Google"), to: to);
    }

    /// <summary>
    /// Seeded traffic as a lane sends it: events in time order in batches of 40, each with its own sequence and a snapshot
    /// of every session it touches as it stands after the batch (exit page, counters and end moving with its events).
    /// </summary>
    internal static List<SegmentAppend> LaneAppends(int seed, out int rows, int sessions = 300)
    {
        var random = new Random(seed);
        string[] pages = ["/", "/pricing", "/docs", "/blog/a", "/signup"];
        string[] sources = ["Google", "Direct / None", "Bing"];
        var traffic = new List<(EventRow Event, SessionRow Session)>();
        for (var s = 1; s <= sessions; s++)
        {
            var visitor = (ulong)random.Next(1, 1 + (sessions / 3));
            var start = Day.AddMinutes(random.Next(0, 24 * 60));
            var source = sources[random.Next(sources.Length)];
            var utm = random.Next(4) == 0 ? "news" : null;
            var at = start;
            var pageviews = 0;
            var count = 0;
            for (var e = random.Next(1, 6); e > 0; e--)
            {
                var page = pages[random.Next(pages.Length)];
                var row = random.Next(5) switch
                {
                    0 => Custom((ulong)s, visitor, at, "Signup", page, new Dictionary<string, string> { ["plan"] = random.Next(2) == 0 ? "pro" : "free", ["via"] = source }, random.Next(1, 50)),
                    1 => Engagement((ulong)s, visitor, at, page, random.Next(1_000, 60_000), random.Next(3) == 0 ? null : random.Next(0, 101)),
                    _ => Pageview((ulong)s, visitor, at, page),
                };
                pageviews += row.Name == "pageview" ? 1 : 0;
                count++;
                var snapshot = Session((ulong)s, visitor, start, at - start, pages[0], page, pageviews, count, bounce: count == 1, source: source, utmSource: utm, version: count);
                traffic.Add((row, snapshot));
                // Two events of one instant now and then: their order must survive any cut of the batches.
                at = random.Next(6) == 0 ? at : at.AddSeconds(random.Next(1, 600));
            }
        }

        rows = traffic.Count;
        var ordered = traffic.OrderBy(t => t.Event.Timestamp).ToList();
        var appends = new List<SegmentAppend>();
        for (var i = 0; i < ordered.Count; i += 40)
        {
            var batch = ordered.GetRange(i, Math.Min(40, ordered.Count - i));
            appends.Add(new SegmentAppend
            {
                Producer = 1,
                Sequence = i + batch.Count,
                EventSequences = [.. Enumerable.Range(i + 1, batch.Count).Select(n => (long)n)],
                Events = [.. batch.Select(t => t.Event)],
                Sessions = [.. batch.GroupBy(t => t.Session.SessionId).Select(g => g.Last().Session)],
            });
        }

        return appends;
    }
}

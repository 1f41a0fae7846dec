using Analytics.GrainInterfaces.Goals;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>Reopening sealed segments, merging partials of several segments, and partials crossing silos.</summary>
public sealed class SegmentLifecycleTests
{
    private static readonly string[] Metrics =
    [
        MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.Events, MetricNames.BounceRate,
        MetricNames.VisitDuration, MetricNames.ViewsPerVisit, MetricNames.Percentage, MetricNames.TimeOnPage, MetricNames.TotalRevenue,
    ];

    private static readonly string[] Pages = ["/", "/pricing", "/docs", "/blog/a", "/signup"];
    private static readonly string[] Sources = ["Google", "Direct / None", "Bing"];

    /// <summary>Seeded sessions over two UTC days (some running past midnight), each with a few pageviews and events.</summary>
    internal static List<(SessionRow Session, List<EventRow> Events)> Traffic(int seed)
    {
        var random = new Random(seed);
        var result = new List<(SessionRow, List<EventRow>)>();
        for (var s = 1; s <= 300; s++)
        {
            var visitor = (ulong)random.Next(1, 120);
            var start = Day.AddMinutes(random.Next(0, 2 * 24 * 60));
            var events = new List<EventRow>();
            var at = start;
            for (var e = 0; e < random.Next(1, 5); e++)
            {
                events.Add(Pageview((ulong)s, visitor, at, Pages[random.Next(Pages.Length)]));
                if (random.Next(4) == 0)
                {
                    events.Add(Custom((ulong)s, visitor, at.AddSeconds(5), "Signup", events[^1].Pathname, new Dictionary<string, string> { ["plan"] = random.Next(2) == 0 ? "pro" : "free" }, revenue: random.Next(1, 50)));
                }

                events.Add(Engagement((ulong)s, visitor, at.AddSeconds(20), events[^1].Pathname, random.Next(1_000, 60_000), random.Next(0, 101)));
                at = at.AddMinutes(random.Next(1, 30));
            }

            var pageviews = events.Count(e => e.Name == "pageview");
            var session = Session((ulong)s, visitor, start, events[^1].Timestamp - start, events[0].Pathname, events.Last(e => e.Name == "pageview").Pathname,
                pageviews, events.Count(e => e.Name != "engagement"), bounce: pageviews == 1, source: Sources[random.Next(Sources.Length)]);
            result.Add((session, events));
        }

        return result;
    }

    private static IEnumerable<StatsQuery> Queries()
    {
        var to = Day.AddDays(3);
        yield return Ask(Metrics, to: to);
        yield return Ask(Metrics, [Dimensions.Page], to: to);
        yield return Ask(Metrics, [Dimensions.Source, "time:hour"], to: to);
        yield return Ask(Metrics, ["time:day", Dimensions.Page], filter: Is(Dimensions.Source, "Google"), to: to);
        yield return Ask(Metrics, ["event:props:plan"], filter: new HasDoneFilter(Is(Dimensions.Page, "/pricing"), Negated: false), from: Day.AddHours(13), to: Day.AddHours(40));
    }

    [Fact]
    public void Merged_partials_of_day_segments_equal_one_scan_of_all_rows()
    {
        var traffic = Traffic(seed: 14);
        var all = Build(Day, traffic.Select(t => t.Session), traffic.SelectMany(t => t.Events));
        var days = traffic.GroupBy(t => t.Session.Start.Date)
            .Select(d => Build(d.Key, d.Select(t => t.Session), d.SelectMany(t => t.Events)))
            .ToList();
        Assert.Equal(2, days.Count);

        foreach (var query in Queries())
        {
            var merged = SegmentPartial.MergeAll([.. days.Select(day => day.Scan(query))]);

            var expected = Lines(Run(all, query));
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Lines(merged.ToResult(query)));
        }
    }

    [Fact]
    public void A_partial_crosses_silos_unchanged()
    {
        var traffic = Traffic(seed: 7);
        var segment = Build(Day, traffic.Select(t => t.Session), traffic.SelectMany(t => t.Events));

        foreach (var query in Queries())
        {
            var partial = segment.Scan(query);
            var copy = Serializer.Deserialize<SegmentPartial>(Serializer.SerializeToArray(partial))!;
            Assert.Equal(Lines(partial.ToResult(query)), Lines(copy.ToResult(query)));
        }
    }

    [Fact]
    public void A_reopened_segment_keeps_its_rows_and_still_skips_applied_sequences()
    {
        var builder = new SegmentBuilder(SegmentKey.Of(Site, Day));
        var session = Session(1, 1, Day.AddHours(8), TimeSpan.FromMinutes(1), "/", "/pricing", 2, 3, bounce: false);
        var first = new SegmentAppend
        {
            Producer = 1,
            Sequence = 1,
            Sessions = [session],
            Events = [Pageview(1, 1, Day.AddHours(8), "/"), Custom(1, 1, Day.AddHours(8), "Signup", "/", new Dictionary<string, string> { ["plan"] = "pro" }, 12.5m)],
        };
        builder.Apply(first);
        var sealedBytes = builder.Build().Write();

        var reopened = SegmentBuilder.Reopen(Segment.Read(sealedBytes));
        Assert.False(reopened.Apply(first));
        Assert.True(reopened.Apply(new SegmentAppend
        {
            Producer = 1,
            Sequence = 2,
            Sessions = [session with { Version = 2 }],
            Events = [Pageview(1, 1, Day.AddHours(8).AddMinutes(1), "/pricing")],
        }));

        var revenueGoal = new Goal { DisplayName = "Signup", EventName = "Signup", Currency = "EUR" };
        var query = Ask([MetricNames.Events, MetricNames.Pageviews, MetricNames.Visits, MetricNames.TotalRevenue], ["event:props:plan"]) with { Goals = [revenueGoal] };
        var result = Run(Segment.Read(reopened.Build().Write()), query);
        Assert.Equal(["(none)=2,2,1,0", "pro=1,0,1,12.5"], Lines(result));
        Assert.Equal(3, reopened.EventCount);
        Assert.Equal(1, reopened.SessionCount);
    }

    [Fact]
    public void A_short_page_of_a_long_breakdown_is_the_head_of_the_whole_order()
    {
        var traffic = Traffic(seed: 3);
        var segment = Build(Day, traffic.Select(t => t.Session), traffic.SelectMany(t => t.Events));
        var query = Ask([MetricNames.Visitors, MetricNames.Pageviews], [Dimensions.Source, Dimensions.Page, "time:hour"], to: Day.AddDays(3));

        var whole = Run(segment, query);
        var page = Run(segment, query with { Offset = 2, Limit = 5 });

        Assert.True(whole.Rows.Count > 40);
        Assert.Equal(whole.TotalRows, page.TotalRows);
        Assert.Equal(Lines(whole).Skip(2).Take(5), Lines(page));
    }

    [Fact]
    public void Visitors_stay_exact_up_to_the_limit_and_estimated_within_two_percent_above()
    {
        ulong[] Hashes(int from, int count) => [.. Enumerable.Range(from, count).Select(i => Analytics.GrainInterfaces.Sketches.VisitorHash.Of(Site, "v" + i))];
        var small = GroupVisitors.FromDistinct(Hashes(0, 1000));
        small.Merge(GroupVisitors.FromDistinct(Hashes(500, 1000)));
        Assert.Equal(1500, small.Count());

        var large = GroupVisitors.FromDistinct(Hashes(0, 1500));
        large.Merge(GroupVisitors.FromDistinct(Hashes(1000, 4000)));
        Assert.InRange(large.Count(), 5000 * 0.98, 5000 * 1.02);
    }

    [Fact]
    public void A_union_of_many_sets_at_once_counts_as_merging_them_one_by_one_and_leaves_them_unchanged()
    {
        ulong[] Hashes(int from, int count) => [.. Enumerable.Range(from, count).Select(i => Analytics.GrainInterfaces.Sketches.VisitorHash.Of(Site, "v" + i))];

        // Overlapping days, exact throughout: 31 sets of 300 visitors, each day 50 new ones.
        var days = Enumerable.Range(0, 31).Select(d => GroupVisitors.FromDistinct(Hashes(d * 50, 300))).ToList();
        Assert.Equal((30 * 50) + 300, GroupVisitors.Union(days).Count());
        Assert.All(days, d => Assert.Equal(300, d.Count()));

        // Past the exact limit the union is a sketch, within its error, whether the inputs were sets or sketches.
        var wide = Enumerable.Range(0, 31).Select(d => GroupVisitors.FromDistinct(Hashes(d * 1000, 1500))).ToList();
        Assert.InRange(GroupVisitors.Union(wide).Count(), 31_500 * 0.98, 31_500 * 1.02);
        var mixed = new List<GroupVisitors> { GroupVisitors.FromDistinct(Hashes(0, 5000)), GroupVisitors.FromDistinct(Hashes(4000, 100)), GroupVisitors.FromDistinct(Hashes(9000, 1000)) };
        Assert.InRange(GroupVisitors.Union(mixed).Count(), 6000 * 0.98, 6000 * 1.02);
        Assert.Equal(100, mixed[1].Count());
        Assert.InRange(mixed[0].Count(), 5000 * 0.98, 5000 * 1.02);
        var sketched = mixed[0].Count();
        GroupVisitors.Union(mixed);
        Assert.Equal(sketched, mixed[0].Count());

        var oneByOne = GroupVisitors.FromDistinct(Hashes(0, 1));
        foreach (var day in days)
        {
            oneByOne.Merge(day);
        }

        Assert.Equal(oneByOne.Count(), GroupVisitors.Union([GroupVisitors.FromDistinct(Hashes(0, 1)), .. days]).Count());

        // Past the limit the union is the very sketch merging one by one makes: registers do not depend on the order.
        var wideOneByOne = wide[0].Clone();
        foreach (var day in wide.Skip(1))
        {
            wideOneByOne.Merge(day);
        }

        Assert.Equal(wideOneByOne.Count(), GroupVisitors.Union(wide).Count());

        // The hash 0 counts like any other, and an exact union comes out sorted: a later linear merge relies on it.
        var withZero = GroupVisitors.Union([GroupVisitors.FromDistinct(new ulong[] { 9, 0, 5 }), .. days]);
        Assert.Equal(1803, withZero.Count());
        withZero.Merge(GroupVisitors.FromDistinct(Hashes(0, 300)));
        Assert.Equal(1803, withZero.Count());
    }
}

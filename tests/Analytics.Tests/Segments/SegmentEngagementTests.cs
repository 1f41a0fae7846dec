using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// time_on_page, scroll_depth and exit_rate by page as Plausible defines them, counted by hand. Visit A (visitor 1, 9:00):
/// /a engaged 10 s at 40% then 20 s at 80%, /b engaged 5 s without a scroll depth, exits on /b. Visit B (visitor 1,
/// 15:00): /a engaged 30 s at 20%, exits there. Visit C (visitor 2, 16:00): /a engaged 0 s at 100%, a bounce. A tab left
/// open: visitor 3's engagement on /a of 1,000 s at 10% after its session ended (no session: counted nowhere).
/// </summary>
public sealed class SegmentEngagementTests
{
    private static Segment Scenario()
    {
        DateTime At(int hour, int minute = 0) => Day.AddHours(hour).AddMinutes(minute);
        return Build(
            Day,
            [
                Session(1, 1, At(9), TimeSpan.FromMinutes(5), "/a", "/b", pageviews: 2, events: 2, bounce: false),
                Session(2, 1, At(15), TimeSpan.FromMinutes(1), "/a", "/a", pageviews: 1, events: 1, bounce: true),
                Session(3, 2, At(16), TimeSpan.Zero, "/a", "/a", pageviews: 1, events: 1, bounce: true),
            ],
            [
                Pageview(1, 1, At(9), "/a"),
                Engagement(1, 1, At(9, 1), "/a", 10_000, 40),
                Engagement(1, 1, At(9, 2), "/a", 20_000, 80),
                Pageview(1, 1, At(9, 3), "/b"),
                Engagement(1, 1, At(9, 5), "/b", 5_000, null),
                Pageview(2, 1, At(15), "/a"),
                Engagement(2, 1, At(15, 1), "/a", 30_000, 20),
                Pageview(3, 2, At(16), "/a"),
                Engagement(3, 2, At(16), "/a", 0, 100),
                Engagement(0, 3, At(20), "/a", 1_000_000, 10),
            ]);
    }

    private static string[] Lines(StatsQuery query) => SegmentRows.Lines(SegmentGoalTests.Answer(Scenario(), query));

    [Fact]
    public void Time_on_page_is_engaged_time_over_engaged_visits_and_scroll_depth_the_mean_of_each_visits_deepest_scroll() =>
        // /a: (10 + 20 + 30 + 0) s over visits A, B, C = 20 s; deepest scrolls 80, 20, 100 → 66.67 → 67.
        // /b: 5 s over visit A; no visit reported a depth → 0 (Plausible: null).
        Assert.Equal(["/a=20,67", "/b=5,0"], Lines(Ask([MetricNames.TimeOnPage, MetricNames.ScrollDepth], [Dimensions.Page])));

    [Fact]
    public void Without_a_dimension_a_visit_counts_once_with_its_deepest_scroll_over_all_pages() =>
        // 65 s over 3 visits = 21.67 → 22; A's deepest is 80 (over /a and /b), B 20, C 100 → 66.67 → 67.
        Assert.Equal(["=22,67"], Lines(Ask([MetricNames.TimeOnPage, MetricNames.ScrollDepth])));

    [Fact]
    public void A_page_engaged_in_the_range_but_viewed_before_it_is_a_row() =>
        // From 9:04: /b's pageview (9:03) is before the range, its engagement (9:05, 5 s) in it; /a: B 30 s and C 0 s.
        Assert.Equal(["/a=15", "/b=5"], Lines(Ask([MetricNames.TimeOnPage], [Dimensions.Page], from: Day.AddHours(9).AddMinutes(4))));

    [Fact]
    public void Visits_not_visitors_divide_the_time() =>
        // Visitor 1 engaged on /a in two visits (A: 30 s, B: 30 s), visitor 2 in one (0 s): 60 s / 3 visits, not / 2 visitors.
        Assert.Equal(["/a=20"], Lines(Ask([MetricNames.TimeOnPage], [Dimensions.Page], Is(Dimensions.Page, "/a"))));

    [Fact]
    public void Exit_rate_by_page_is_the_exits_from_the_page_over_its_pageviews() =>
        // /a: 3 pageviews (A, B, C), B and C exit there → 66.7; /b: 1 pageview, A exits there → 100.
        Assert.Equal(
            ["/a=66.7,3", "/b=100,1"],
            Lines(Ask([MetricNames.ExitRate, MetricNames.Pageviews], [Dimensions.Page]) with { OrderBy = [new QueryOrder(Dimensions.Page, Descending: false)] }));

    [Fact]
    public void Exit_rate_by_page_agrees_with_exit_rate_by_exit_page() =>
        Assert.Equal(["/a=66.7", "/b=100"], Lines(Ask([MetricNames.ExitRate], [Dimensions.ExitPage]) with { OrderBy = [new QueryOrder(Dimensions.ExitPage, Descending: false)] }));
}

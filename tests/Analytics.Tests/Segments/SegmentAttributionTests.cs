using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>Events count at their own time, sessions at their start; event filters and dimensions narrow sessions.</summary>
public sealed class SegmentAttributionTests
{
    private static readonly string[] Metrics = [MetricNames.Pageviews, MetricNames.Visits, MetricNames.Visitors];

    /// <summary>A session from 23:50 to 00:10 the next day: /a before midnight, /b after; both in the start day's segment.</summary>
    private static Segment AcrossMidnight()
    {
        var start = Day.AddHours(23).AddMinutes(50);
        return Build(
            Day,
            [Session(1, 1, start, TimeSpan.FromMinutes(20), "/a", "/b", 2, 2, bounce: false)],
            [Pageview(1, 1, start, "/a"), Pageview(1, 1, start.AddMinutes(20), "/b")]);
    }

    [Fact]
    public void A_session_crossing_midnight_counts_on_its_start_day_and_its_events_on_theirs()
    {
        var segment = AcrossMidnight();

        Assert.Equal(["=1,1,1"], Lines(Run(segment, Ask(Metrics))));
        Assert.Equal(["=1,0,1"], Lines(Run(segment, Ask(Metrics, from: Day.AddDays(1), to: Day.AddDays(2)))));
        Assert.Equal(
            ["2026-11-23=1,1,1", "2026-11-24=1,0,1"],
            Lines(Run(segment, Ask(Metrics, ["time:day"], to: Day.AddDays(2)))));
    }

    /// <summary>Visit A sees /pricing then /signup; visit B bounces on /pricing; visit C bounces on /.</summary>
    private static Segment Pricing() => Build(
        Day,
        [
            Session(1, 1, Day.AddHours(9), TimeSpan.FromMinutes(3), "/pricing", "/signup", 2, 2, bounce: false),
            Session(2, 2, Day.AddHours(10), TimeSpan.Zero, "/pricing", "/pricing", 1, 1, bounce: true),
            Session(3, 3, Day.AddHours(11), TimeSpan.Zero, "/", "/", 1, 1, bounce: true),
        ],
        [
            Pageview(1, 1, Day.AddHours(9), "/pricing"),
            Pageview(1, 1, Day.AddHours(9).AddMinutes(3), "/signup"),
            Pageview(2, 2, Day.AddHours(10), "/pricing"),
            Pageview(3, 3, Day.AddHours(11), "/"),
        ]);

    [Fact]
    public void Bounce_rate_of_visits_that_saw_a_page()
    {
        string[] metrics = [MetricNames.Visits, MetricNames.BounceRate, MetricNames.VisitDuration];

        Assert.Equal(["=2,50,90"], Lines(Run(Pricing(), Ask(metrics, filter: Is(Dimensions.Page, "/pricing")))));
        Assert.Equal(["/pricing=2,50,90", "/=1,100,0", "/signup=1,0,180"], Lines(Run(Pricing(), Ask(metrics, [Dimensions.Page]))));
    }

    [Fact]
    public void An_event_filter_narrows_session_metrics_but_views_per_visit_reads_whole_sessions() =>
        Assert.Equal(["=1,1,2"], Lines(Run(Pricing(), Ask([MetricNames.Visits, MetricNames.Pageviews, MetricNames.ViewsPerVisit], filter: Is(Dimensions.Page, "/signup")))));

    [Fact]
    public void An_event_without_a_session_counts_but_never_matches_a_visit_filter()
    {
        var segment = Build(Day, [], [Pageview(0, 9, Day.AddHours(5), "/lost")]);

        Assert.Equal(["=1,0,1"], Lines(Run(segment, Ask(Metrics))));
        Assert.Equal(["=0,0,0"], Lines(Run(segment, Ask(Metrics, filter: new DimensionFilter(FilterOperator.IsNot, Dimensions.Source, ["Google"])))));
    }
}

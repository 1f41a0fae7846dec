using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>Cases the differential test against PostgreSQL found, pinned.</summary>
public sealed class SegmentRegressionTests
{
    /// <summary>
    /// An empty visit value and the missing one of a sessionless engagement event share the label "": one group, omitted
    /// from the breakdown (it was a duplicate key, a 500).
    /// </summary>
    [Fact]
    public void An_empty_visit_value_and_a_sessionless_event_make_one_group_not_an_error()
    {
        var at = Day.AddHours(8);
        var segment = Build(
            Day,
            [
                Session(1, 1, at, TimeSpan.FromMinutes(1), "/", "/", 1, 1, bounce: true) with { OsVersion = "" },
                Session(2, 2, at, TimeSpan.FromMinutes(1), "/", "/", 1, 1, bounce: true) with { OsVersion = "14" },
            ],
            [
                Pageview(1, 1, at, "/"), Engagement(1, 1, at.AddMinutes(1), "/", 5_000, 50),
                Pageview(2, 2, at, "/"), Engagement(2, 2, at.AddMinutes(1), "/", 5_000, 30),
                Engagement(0, 3, at.AddHours(2), "/", 1_000, 70),
            ]);

        Assert.Equal(["14=30"], Lines(Run(segment, Ask([MetricNames.ScrollDepth], [Dimensions.OsVersion]))));
    }

    /// <summary>199 pageviews in 40 visits is 4.975, which rounds to 4.98 (in doubles it is 4.97499… and rounded down).</summary>
    [Fact]
    public void Ratios_round_half_away_from_zero_exactly()
    {
        var visits = Enumerable.Range(1, 40).Select(i => (Id: (ulong)i, Pageviews: i == 1 ? 4 : 5)).ToList();
        var sessions = visits.Select(v =>
            Session(v.Id, v.Id, Day.AddMinutes(v.Id), TimeSpan.FromMinutes(1), "/", "/", v.Pageviews, v.Pageviews, bounce: false));
        var events = visits.SelectMany(v => Enumerable.Range(0, v.Pageviews).Select(p => Pageview(v.Id, v.Id, Day.AddMinutes(v.Id).AddSeconds(p), "/")));

        Assert.Equal(["=40,199,4.98"], Lines(Run(Build(Day, sessions, events), Ask([MetricNames.Visits, MetricNames.Pageviews, MetricNames.ViewsPerVisit]))));
    }
}

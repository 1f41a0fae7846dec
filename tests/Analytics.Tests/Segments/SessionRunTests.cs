using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// Visit breakdowns without a time bucket aggregate a session's adjacent rows as one run; with a time bucket the scan
/// goes row by row. A one-day segment answers both alike, whatever the filter cuts and with events outside any session.
/// </summary>
public sealed class SessionRunTests
{
    private static readonly string[] Metrics =
    [
        MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.Events, MetricNames.BounceRate,
        MetricNames.VisitDuration, MetricNames.Percentage,
    ];

    /// <param name="strayVisitor">A visitor of its own on an event of session 21 (the lanes never write one).</param>
    private static Segment Traffic(ulong? strayVisitor = null)
    {
        var t = Day.AddHours(9);
        return Build(
            Day,
            [
                Session(11, 1, t, TimeSpan.FromMinutes(3), "/", "/c", pageviews: 3, events: 4, bounce: false, source: "Google"),
                Session(12, 1, t.AddHours(2), TimeSpan.Zero, "/b", "/b", pageviews: 1, events: 1, bounce: true, source: "Google", browser: "Firefox"),
                Session(21, 2, t.AddHours(1), TimeSpan.FromMinutes(1), "/", "/b", pageviews: 2, events: 2, bounce: false),
                Session(31, 3, t.AddHours(3), TimeSpan.Zero, "/c", "/c", pageviews: 1, events: 1, bounce: true, source: "Google"),
            ],
            [
                Pageview(11, 1, t, "/"),
                Pageview(11, 1, t.AddMinutes(1), "/b"),
                Custom(11, 1, t.AddMinutes(2), "Signup", "/b"),
                Pageview(11, 1, t.AddMinutes(3), "/c"),
                Pageview(12, 1, t.AddHours(2), "/b"),
                Pageview(21, 2, t.AddHours(1), "/"),
                Pageview(21, strayVisitor ?? 2, t.AddHours(1).AddMinutes(1), "/b"),
                Pageview(31, 3, t.AddHours(3), "/c"),
                // Outside any session: no session id, and a session the segment does not hold.
                Pageview(0, 4, t.AddHours(4), "/"),
                Pageview(0, 5, t.AddHours(4), "/b"),
                Pageview(77, 6, t.AddHours(5), "/c"),
                Pageview(77, 7, t.AddHours(5).AddMinutes(1), "/c"),
            ]);
    }

    public static TheoryData<string[], string?> Questions => new()
    {
        { [Dimensions.Source], null },
        { [Dimensions.Source, Dimensions.Browser], null },
        { [Dimensions.Source], "/b" },
        { [Dimensions.EntryPage, Dimensions.Source], "/c" },
        { [Dimensions.Browser], "/" },
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public void By_runs_and_row_by_row_alike(string[] dimensions, string? page)
    {
        var segment = Traffic();
        Assert.True(segment.EventsGroupedBySession && segment.OneVisitorPerSession); // what the runs need
        var filter = page is null ? null : Is(Dimensions.Page, page);

        var byRuns = Lines(Run(segment, Ask(Metrics, dimensions, filter)));
        var byRows = Lines(Run(segment, Ask(Metrics, [.. dimensions, "time:day"], filter)));

        Assert.NotEmpty(byRuns);
        Assert.Equal(byRuns.Order(), byRows.Select(l => l.Replace(",2026-11-23=", "=", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public void Visitors_by_source_count_each_visitor_once_and_events_outside_sessions_in_the_totals()
    {
        var result = Run(Traffic(), Ask(Metrics, [Dimensions.Source]));

        // Google: visitors 1 and 3; visits 11, 12 and 31 (two bounces, 180 s in all); 5 pageviews and a Signup. Direct:
        // visitor 2, one visit of 60 s. Seven visitors in all (4-7 outside the segment's sessions): Google is 2 of 7.
        Assert.Equal(["Google=2,3,5,6,67,60,28.6", "Direct / None=1,1,2,2,0,60,14.3"], Lines(result));
    }

    [Fact]
    public void A_session_whose_events_carry_two_visitors_is_counted_row_by_row()
    {
        var segment = Traffic(strayVisitor: 9);
        Assert.False(segment.OneVisitorPerSession);

        var result = Run(segment, Ask([MetricNames.Visitors, MetricNames.Visits], [Dimensions.Source]));

        Assert.Equal(["Direct / None=2,1", "Google=2,3"], Lines(result)); // ties by value
    }
}

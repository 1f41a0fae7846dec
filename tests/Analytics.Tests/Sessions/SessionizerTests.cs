using Analytics.GrainInterfaces.Metrics;
using Analytics.Grains.Sessions;
using Analytics.Testing;

namespace Analytics.Tests.Sessions;

public sealed class SessionizerTests
{
    private readonly VisitorState _state = new();
    private readonly List<BucketContribution> _out = [];

    private Counters Totals(DateTime? sessionStart = null) => _out
        .Where(c => sessionStart is null || c.At == sessionStart)
        .Aggregate(default(Counters), (sum, c) => sum + c.Totals);

    private Counters Row(string dimension, string value) => _out
        .SelectMany(c => c.Dimensions)
        .Where(d => d.Dimension == dimension && d.Value == value)
        .Aggregate(default(Counters), (sum, d) => sum + d.Counters);

    [Fact]
    public void First_pageview_opens_a_bouncing_visit()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon, "/a"), _out);

        Assert.Equal(new Counters(Pageviews: 1, 0, Visits: 1, Bounces: 1, 0), Totals());
        Assert.Equal(1, Row(Dimensions.EntryPage, "/a").Visits);
        Assert.Equal(1, Row(Dimensions.ExitPage, "/a").Visits);
        Assert.Equal(1, Row(Dimensions.Page, "/a").Pageviews);
        Assert.All(_out, c => Assert.Equal("example.com", c.Site));
    }

    [Fact]
    public void Second_pageview_within_30_minutes_unbounces_adds_duration_and_moves_the_exit_page()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon, "/a"), _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(29), "/b"), _out);

        Assert.Equal(new Counters(Pageviews: 2, 0, Visits: 1, Bounces: 0, DurationMs: 29 * 60_000), Totals());
        Assert.Equal(0, Row(Dimensions.ExitPage, "/a").Visits);
        Assert.Equal(1, Row(Dimensions.ExitPage, "/b").Visits);
        Assert.Equal(new Counters(Pageviews: 2, 0, Visits: 1, Bounces: 0, DurationMs: 29 * 60_000), Row(Dimensions.Source, "Direct / None"));
        // The session's changes land in the buckets of its start, not of the second pageview.
        Assert.All(_out.Where(c => c.Id.Part == ContributionId.SessionPart), c => Assert.Equal(TestEvents.Noon, c.At));
    }

    [Fact]
    public void A_gap_over_30_minutes_starts_a_new_visit()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon), _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(30).AddSeconds(1)), _out);

        Assert.Equal(new Counters(Pageviews: 2, 0, Visits: 2, Bounces: 2, 0), Totals());
    }

    [Fact]
    public void A_new_sender_session_id_starts_a_new_visit_within_30_minutes_and_the_same_one_continues_it()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon) with { SessionId = "1733100000" }, _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1)) with { SessionId = "1733100000" }, _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(2)) with { SessionId = "1733100999" }, _out);
        // An event without a session id (another sender for the same visitor) continues whatever session is live.
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(3)), _out);

        Assert.Equal(new Counters(Pageviews: 4, 0, Visits: 2, Bounces: 0, DurationMs: 60_000 + 60_000), Totals());
    }

    [Fact]
    public void A_session_opened_without_a_session_id_takes_the_first_one_it_is_given()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon), _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1)) with { SessionId = "a" }, _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(2)) with { SessionId = "b" }, _out);

        Assert.Equal(2, Totals().Visits);
    }

    [Fact]
    public void Interactive_custom_event_unbounces_but_a_non_interactive_one_does_not()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon), _out);
        Sessionizer.Apply(_state, TestEvents.Custom("v1", TestEvents.Noon.AddSeconds(5), "Video", interactive: false), _out);
        Assert.Equal(1, Totals().Bounces);

        Sessionizer.Apply(_state, TestEvents.Custom("v1", TestEvents.Noon.AddSeconds(10), "Signup"), _out);
        Assert.Equal(new Counters(Pageviews: 1, Events: 2, Visits: 1, Bounces: 0, DurationMs: 10_000), Totals());
        Assert.Equal(1, Row(Dimensions.Goal, "Signup").Events);
    }

    [Fact]
    public void Engagement_extends_duration_and_feeds_its_page_but_never_opens_a_visit_or_counts_as_an_event()
    {
        Sessionizer.Apply(_state, TestEvents.Engagement("v1", TestEvents.Noon, 1000) with { ScrollDepth = 40 }, _out);
        Assert.Equal(new Counters(0, 0, 0, 0, 0, EngagedMs: 1000, ScrollDepthSum: 40, ScrollDepthSamples: 1), Totals());
        Assert.All(_out, c => Assert.Null(c.Visitor));

        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1)), _out);
        Sessionizer.Apply(_state, TestEvents.Engagement("v1", TestEvents.Noon.AddMinutes(3), 120_000), _out);

        Assert.Equal(new Counters(Pageviews: 1, 0, Visits: 1, Bounces: 1, DurationMs: 120_000, EngagedMs: 121_000, ScrollDepthSum: 40, ScrollDepthSamples: 1), Totals());
        Assert.Equal((121_000, 1), (Row(Dimensions.Page, "/").EngagedMs, Row(Dimensions.Page, "/").Pageviews));
    }

    [Fact]
    public void A_redelivered_event_changes_nothing()
    {
        var pageview = TestEvents.Pageview("v1", TestEvents.Noon);
        Assert.True(Sessionizer.Apply(_state, pageview, _out));
        var before = _out.Count;

        Assert.False(Sessionizer.Apply(_state, pageview, _out));
        Assert.Equal(before, _out.Count);
    }

    [Fact]
    public void Replaying_against_the_saved_state_yields_identical_contributions()
    {
        var events = new[]
        {
            TestEvents.Pageview("v1", TestEvents.Noon, "/a"),
            TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(2), "/b"),
            TestEvents.Custom("v1", TestEvents.Noon.AddMinutes(3), "Signup"),
        };
        var first = new List<BucketContribution>();
        var replay = new List<BucketContribution>();
        var a = new VisitorState();
        var b = new VisitorState();
        foreach (var e in events)
        {
            Sessionizer.Apply(a, e, first);
            Sessionizer.Apply(b, e, replay);
        }

        Assert.Equal(first.Select(c => (c.Id, c.At, c.Totals)), replay.Select(c => (c.Id, c.At, c.Totals)));
    }

    [Fact]
    public void Remembered_ids_are_bounded()
    {
        for (var i = 0; i < Sessionizer.RememberedEventIds + 50; i++)
        {
            Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddSeconds(i)), _out);
        }

        Assert.Equal(Sessionizer.RememberedEventIds, _state.RecentEventIds.Count);
    }

    [Fact]
    public void Session_attributes_are_fixed_at_its_start()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon, "/a", source: "Google"), _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1), "/b", source: "Twitter"), _out);

        Assert.Equal(2, Row(Dimensions.Source, "Google").Pageviews);
        Assert.Equal(0, Row(Dimensions.Source, "Twitter").Visits);
        Assert.Equal(1, Row(Dimensions.EntryPage, "/a").Visits);
        Assert.Equal(0, Row(Dimensions.EntryPage, "/b").Visits);
    }
}

using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Sessions;
using Analytics.Testing;

namespace Analytics.Tests.Sessions;

public sealed class SessionizerTests
{
    private readonly VisitorState _state = new();
    private readonly List<RoutedAppend> _out = [];

    private SessionRow LastSession => _out[^1].Append.Sessions.Single();

    private EventRow LastEvent => _out[^1].Append.Events.Single();

    private int DistinctSessions => _out.SelectMany(a => a.Append.Sessions).Select(s => s.SessionId).Distinct().Count();

    [Fact]
    public void First_pageview_opens_a_bouncing_session_in_the_segment_of_its_day()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon, "/a", source: "Google"), _out);

        var routed = Assert.Single(_out);
        Assert.Equal("example.com|2026-03-10", routed.Segment);
        Assert.Equal(VisitorHash.Of("example.com", "v1"), routed.Append.Producer);
        Assert.Equal(1, routed.Append.Sequence);
        var session = LastSession;
        Assert.Equal((TestEvents.Noon, TestEvents.Noon, 1, "/a", "/a", 1, 1, true), (session.Start, session.End, session.Version, session.EntryPage, session.ExitPage, session.Pageviews, session.Events, session.Bounce));
        Assert.Equal(("Google", "Organic Search", "Chrome", "120.0"), (session.Source, session.Channel, session.Browser, session.BrowserVersion));
        Assert.Equal((session.SessionId, session.Visitor, EventNames.Pageview, "/a"), (LastEvent.Session, LastEvent.Visitor, LastEvent.Name, LastEvent.Pathname));
        Assert.NotEqual(0UL, session.SessionId);
    }

    [Fact]
    public void Second_pageview_within_30_minutes_unbounces_lengthens_and_moves_the_exit_page()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon, "/a"), _out);
        var first = LastSession;
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(29), "/b"), _out);

        var session = LastSession;
        Assert.Equal(first.SessionId, session.SessionId);
        Assert.Equal((2, 2, 2, false, "/a", "/b"), (session.Version, session.Pageviews, session.Events, session.Bounce, session.EntryPage, session.ExitPage));
        Assert.Equal(TimeSpan.FromMinutes(29), session.End - session.Start);
        Assert.Equal(2, _out[^1].Append.Sequence);
        Assert.All(_out, a => Assert.Equal("example.com|2026-03-10", a.Segment));
    }

    [Fact]
    public void A_gap_over_30_minutes_starts_a_new_session()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon), _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(30).AddSeconds(1)), _out);

        Assert.Equal(2, DistinctSessions);
        Assert.True(LastSession.Bounce);
    }

    [Fact]
    public void A_new_sender_session_id_starts_a_new_session_within_30_minutes_and_the_same_one_continues_it()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon) with { SessionId = "1733100000" }, _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1)) with { SessionId = "1733100000" }, _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(2)) with { SessionId = "1733100999" }, _out);
        // An event without a session id (another sender for the same visitor) continues whatever session is live.
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(3)), _out);

        Assert.Equal(2, DistinctSessions);
        Assert.Equal(2, LastSession.Pageviews);
    }

    [Fact]
    public void A_session_opened_without_a_session_id_takes_the_first_one_it_is_given()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon), _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1)) with { SessionId = "a" }, _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(2)) with { SessionId = "b" }, _out);

        Assert.Equal(2, DistinctSessions);
    }

    [Fact]
    public void Interactive_custom_event_unbounces_but_a_non_interactive_one_does_not()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon), _out);
        Sessionizer.Apply(_state, TestEvents.Custom("v1", TestEvents.Noon.AddSeconds(5), "Video", interactive: false), _out);
        Assert.True(LastSession.Bounce);

        Sessionizer.Apply(_state, TestEvents.Custom("v1", TestEvents.Noon.AddSeconds(10), "Signup"), _out);
        Assert.Equal((false, 1, 3), (LastSession.Bounce, LastSession.Pageviews, LastSession.Events));
        Assert.Equal(("Signup", LastSession.SessionId), (LastEvent.Name, LastEvent.Session));
    }

    [Fact]
    public void Engagement_lengthens_a_live_session_but_never_opens_one_nor_counts_as_an_event()
    {
        Sessionizer.Apply(_state, TestEvents.Engagement("v1", TestEvents.Noon, 1000) with { ScrollDepth = 40 }, _out);
        Assert.Empty(_out[^1].Append.Sessions);
        Assert.Equal((0UL, 1000L, 40), (LastEvent.Session, LastEvent.EngagementMs, LastEvent.ScrollDepth));
        Assert.Equal("example.com|2026-03-10", _out[^1].Segment);
        Assert.Null(_state.Session);

        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1)), _out);
        Sessionizer.Apply(_state, TestEvents.Engagement("v1", TestEvents.Noon.AddMinutes(3), 120_000), _out);

        var session = LastSession;
        Assert.Equal((TimeSpan.FromMinutes(2), 1, 1, true, 2), (session.End - session.Start, session.Pageviews, session.Events, session.Bounce, session.Version));
        Assert.Equal(session.SessionId, LastEvent.Session);
    }

    [Fact]
    public void Engagement_after_the_timeout_belongs_to_no_session()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon), _out);
        Sessionizer.Apply(_state, TestEvents.Engagement("v1", TestEvents.Noon.AddMinutes(45), 5000), _out);

        Assert.Empty(_out[^1].Append.Sessions);
        Assert.Equal(0UL, LastEvent.Session);
    }

    [Fact]
    public void A_session_still_going_an_hour_after_its_day_ends_there_and_its_late_events_stay_in_its_day()
    {
        var lateEvening = new DateTime(2026, 3, 10, 23, 50, 0, DateTimeKind.Utc);
        for (var at = lateEvening; at < lateEvening.AddMinutes(70); at = at.AddMinutes(20))
        {
            Sessionizer.Apply(_state, TestEvents.Pageview("v1", at), _out);
        }

        // 23:50, 00:10, 00:30, 00:50 are one session of the 10th; 01:10 would continue it (20 minutes later) but is past the cutoff.
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", new DateTime(2026, 3, 11, 1, 10, 0, DateTimeKind.Utc)), _out);

        Assert.Equal(2, DistinctSessions);
        Assert.Equal(["example.com|2026-03-10", "example.com|2026-03-10", "example.com|2026-03-10", "example.com|2026-03-10", "example.com|2026-03-11"], _out.Select(a => a.Segment));
        Assert.Equal(4, _out[3].Append.Sessions.Single().Pageviews);
        Assert.Equal(new DateTime(2026, 3, 11, 1, 10, 0, DateTimeKind.Utc), LastSession.Start);
    }

    [Fact]
    public void An_event_older_than_the_current_session_is_a_session_of_its_own_in_its_own_day()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon, "/now"), _out);
        var current = LastSession;
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddDays(-2), "/imported"), _out);

        var imported = LastSession;
        Assert.Equal("example.com|2026-03-08", _out[^1].Segment);
        Assert.NotEqual(current.SessionId, imported.SessionId);
        Assert.Equal((1, "/imported", true), (imported.Version, imported.EntryPage, imported.Bounce));

        // The current session goes on as if nothing happened.
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(5), "/next"), _out);
        Assert.Equal((current.SessionId, 2, "/next"), (LastSession.SessionId, LastSession.Version, LastSession.ExitPage));
    }

    /// <summary>Two beacons sent together may be logged in the other order: the earlier one still belongs to the visit.</summary>
    [Fact]
    public void An_event_slightly_older_than_its_session_joins_it_and_becomes_its_start()
    {
        Sessionizer.Apply(_state, TestEvents.Custom("v1", TestEvents.Noon, "Signup", "/pricing"), _out);
        var opened = LastSession;
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMilliseconds(-300), "/landing"), _out);

        var session = LastSession;
        Assert.Equal(opened.SessionId, session.SessionId);
        Assert.Equal((TestEvents.Noon.AddMilliseconds(-300), TestEvents.Noon, "/landing", 1, 2, false), (session.Start, session.End, session.EntryPage, session.Pageviews, session.Events, session.Bounce));
        Assert.Equal(1, DistinctSessions);
    }

    [Fact]
    public void A_redelivered_event_changes_nothing()
    {
        var pageview = TestEvents.Pageview("v1", TestEvents.Noon);
        Assert.True(Sessionizer.Apply(_state, pageview, _out));
        var before = _out.Count;

        Assert.False(Sessionizer.Apply(_state, pageview, _out));
        Assert.Equal(before, _out.Count);
        Assert.Equal(1, _state.Sequence);
    }

    [Fact]
    public void Replaying_against_the_saved_state_yields_identical_appends()
    {
        var events = new[]
        {
            TestEvents.Pageview("v1", TestEvents.Noon, "/a"),
            TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(2), "/b"),
            TestEvents.Custom("v1", TestEvents.Noon.AddMinutes(3), "Signup"),
        };
        var first = new List<RoutedAppend>();
        var replay = new List<RoutedAppend>();
        var a = new VisitorState();
        var b = new VisitorState();
        foreach (var e in events)
        {
            Sessionizer.Apply(a, e, first);
            Sessionizer.Apply(b, e, replay);
        }

        Assert.Equal(Describe(first), Describe(replay));
    }

    [Fact]
    public void Remembered_ids_are_bounded()
    {
        for (var i = 0; i < Sessionizer.RememberedEventIds + 50; i++)
        {
            Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddSeconds(i)), _out);
        }

        Assert.Equal(Sessionizer.RememberedEventIds, _state.RecentEventIds.Count);
        Assert.Equal(Sessionizer.RememberedEventIds + 50, _state.Sequence);
    }

    [Fact]
    public void Session_attributes_are_fixed_at_its_start()
    {
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon, "/a", source: "Google"), _out);
        Sessionizer.Apply(_state, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1), "/b", source: "Twitter", browser: "Firefox"), _out);

        Assert.Equal(("Google", "/a", "Chrome"), (LastSession.Source, LastSession.EntryPage, LastSession.Browser));
    }

    private static List<string> Describe(IEnumerable<RoutedAppend> appends) =>
        [.. appends.Select(a => $"{a.Segment} {a.Append.Producer}/{a.Append.Sequence} {string.Join(';', a.Append.Events)} {string.Join(';', a.Append.Sessions)}")];
}

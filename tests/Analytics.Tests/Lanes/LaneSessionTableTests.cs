using Analytics.Abstractions.Lanes;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Lanes;
using Analytics.Testing;

namespace Analytics.Tests.Lanes;

/// <summary>The session rules as a lane applies them (each event its own batch unless said), and what batching must not change.</summary>
public sealed class LaneSessionTableTests
{
    private const ulong Producer = 42;
    private LaneSessionTable _table = new(Producer);
    private readonly List<RoutedAppend> _out = [];
    private long _offset;

    private SessionRow LastSession => _out[^1].Append.Sessions.Single();

    private EventRow LastEvent => _out[^1].Append.Events.Single();

    private int DistinctSessions => _out.SelectMany(a => a.Append.Sessions).Select(s => s.SessionId).Distinct().Count();

    /// <summary>One event, one batch; returns how many duplicates the batch recognised.</summary>
    private int Feed(TrackedEvent e)
    {
        var batch = _table.Sessionize([new LaneEvent(++_offset, e)]);
        _out.AddRange(batch.Appends);
        return batch.Duplicates;
    }

    [Fact]
    public void First_pageview_opens_a_bouncing_session_in_the_segment_of_its_day()
    {
        Feed(TestEvents.Pageview("v1", TestEvents.Noon, "/a", source: "Google"));

        var routed = Assert.Single(_out);
        Assert.Equal("example.com|2026-03-10", routed.Segment);
        Assert.Equal(Producer, routed.Append.Producer);
        Assert.Equal(1, routed.Append.Sequence);
        Assert.Equal([1L], routed.Append.EventSequences);
        Assert.Equal(VisitorHash.Of("example.com", "v1"), routed.Append.Sessions.Single().Visitor);
        var session = LastSession;
        Assert.Equal((TestEvents.Noon, TestEvents.Noon, 1, "/a", "/a", 1, 1, true), (session.Start, session.End, session.Version, session.EntryPage, session.ExitPage, session.Pageviews, session.Events, session.Bounce));
        Assert.Equal(("Google", "Organic Search", "Chrome", "120.0"), (session.Source, session.Channel, session.Browser, session.BrowserVersion));
        Assert.Equal((session.SessionId, session.Visitor, EventNames.Pageview, "/a"), (LastEvent.Session, LastEvent.Visitor, LastEvent.Name, LastEvent.Pathname));
        Assert.NotEqual(0UL, session.SessionId);
    }

    [Fact]
    public void Second_pageview_within_30_minutes_unbounces_lengthens_and_moves_the_exit_page()
    {
        Feed(TestEvents.Pageview("v1", TestEvents.Noon, "/a"));
        var first = LastSession;
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(29), "/b"));

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
        Feed(TestEvents.Pageview("v1", TestEvents.Noon));
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(30).AddSeconds(1)));

        Assert.Equal(2, DistinctSessions);
        Assert.True(LastSession.Bounce);
    }

    [Fact]
    public void A_new_sender_session_id_starts_a_new_session_within_30_minutes_and_the_same_one_continues_it()
    {
        Feed(TestEvents.Pageview("v1", TestEvents.Noon) with { SessionId = "1733100000" });
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1)) with { SessionId = "1733100000" });
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(2)) with { SessionId = "1733100999" });
        // An event without a session id (another sender for the same visitor) continues whatever session is live.
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(3)));

        Assert.Equal(2, DistinctSessions);
        Assert.Equal(2, LastSession.Pageviews);
    }

    [Fact]
    public void A_session_opened_without_a_session_id_takes_the_first_one_it_is_given()
    {
        Feed(TestEvents.Pageview("v1", TestEvents.Noon));
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1)) with { SessionId = "a" });
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(2)) with { SessionId = "b" });

        Assert.Equal(2, DistinctSessions);
    }

    [Fact]
    public void Interactive_custom_event_unbounces_but_a_non_interactive_one_does_not()
    {
        Feed(TestEvents.Pageview("v1", TestEvents.Noon));
        Feed(TestEvents.Custom("v1", TestEvents.Noon.AddSeconds(5), "Video", interactive: false));
        Assert.True(LastSession.Bounce);

        Feed(TestEvents.Custom("v1", TestEvents.Noon.AddSeconds(10), "Signup"));
        Assert.Equal((false, 1, 3), (LastSession.Bounce, LastSession.Pageviews, LastSession.Events));
        Assert.Equal(("Signup", LastSession.SessionId), (LastEvent.Name, LastEvent.Session));
    }

    [Fact]
    public void Engagement_lengthens_a_live_session_but_never_opens_one_nor_counts_as_an_event()
    {
        Feed(TestEvents.Engagement("v1", TestEvents.Noon, 1000) with { ScrollDepth = 40 });
        Assert.Empty(_out[^1].Append.Sessions);
        Assert.Equal((0UL, 1000L, 40), (LastEvent.Session, LastEvent.EngagementMs, LastEvent.ScrollDepth));
        Assert.Equal("example.com|2026-03-10", _out[^1].Segment);

        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1)));
        Feed(TestEvents.Engagement("v1", TestEvents.Noon.AddMinutes(3), 120_000));

        var session = LastSession;
        Assert.Equal((TimeSpan.FromMinutes(2), 1, 1, true, 2), (session.End - session.Start, session.Pageviews, session.Events, session.Bounce, session.Version));
        Assert.Equal(session.SessionId, LastEvent.Session);
    }

    [Fact]
    public void Engagement_after_the_timeout_belongs_to_no_session()
    {
        Feed(TestEvents.Pageview("v1", TestEvents.Noon));
        Feed(TestEvents.Engagement("v1", TestEvents.Noon.AddMinutes(45), 5000));

        Assert.Empty(_out[^1].Append.Sessions);
        Assert.Equal(0UL, LastEvent.Session);
    }

    [Fact]
    public void A_session_still_going_an_hour_after_its_day_ends_there_and_its_late_events_stay_in_its_day()
    {
        var lateEvening = new DateTime(2026, 3, 10, 23, 50, 0, DateTimeKind.Utc);
        for (var at = lateEvening; at < lateEvening.AddMinutes(70); at = at.AddMinutes(20))
        {
            Feed(TestEvents.Pageview("v1", at));
        }

        // 23:50, 00:10, 00:30, 00:50 are one session of the 10th; 01:10 would continue it (20 minutes later) but is past the cutoff.
        Feed(TestEvents.Pageview("v1", new DateTime(2026, 3, 11, 1, 10, 0, DateTimeKind.Utc)));

        Assert.Equal(2, DistinctSessions);
        Assert.Equal(["example.com|2026-03-10", "example.com|2026-03-10", "example.com|2026-03-10", "example.com|2026-03-10", "example.com|2026-03-11"], _out.Select(a => a.Segment));
        Assert.Equal(4, _out[3].Append.Sessions.Single().Pageviews);
        Assert.Equal(new DateTime(2026, 3, 11, 1, 10, 0, DateTimeKind.Utc), LastSession.Start);
    }

    [Fact]
    public void An_event_older_than_the_current_session_is_a_session_of_its_own_in_its_own_day()
    {
        Feed(TestEvents.Pageview("v1", TestEvents.Noon, "/now"));
        var current = LastSession;
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddDays(-2), "/imported"));

        var imported = LastSession;
        Assert.Equal("example.com|2026-03-08", _out[^1].Segment);
        Assert.NotEqual(current.SessionId, imported.SessionId);
        Assert.Equal((1, "/imported", true), (imported.Version, imported.EntryPage, imported.Bounce));

        // The current session goes on as if nothing happened.
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(5), "/next"));
        Assert.Equal((current.SessionId, 2, "/next"), (LastSession.SessionId, LastSession.Version, LastSession.ExitPage));
    }

    /// <summary>Two beacons sent together may be logged in the other order: the earlier one still belongs to the visit.</summary>
    [Fact]
    public void An_event_slightly_older_than_its_session_joins_it_and_becomes_its_start()
    {
        Feed(TestEvents.Custom("v1", TestEvents.Noon, "Signup", "/pricing"));
        var opened = LastSession;
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMilliseconds(-300), "/landing"));

        var session = LastSession;
        Assert.Equal(opened.SessionId, session.SessionId);
        Assert.Equal((TestEvents.Noon.AddMilliseconds(-300), TestEvents.Noon, "/landing", 1, 2, false), (session.Start, session.End, session.EntryPage, session.Pageviews, session.Events, session.Bounce));
        Assert.Equal(1, DistinctSessions);
    }

    [Fact]
    public void Session_attributes_are_fixed_at_its_start()
    {
        Feed(TestEvents.Pageview("v1", TestEvents.Noon, "/a", source: "Google"));
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1), "/b", source: "Twitter", browser: "Firefox"));

        Assert.Equal(("Google", "/a", "Chrome"), (LastSession.Source, LastSession.EntryPage, LastSession.Browser));
    }

    [Fact]
    public void An_event_sent_twice_at_another_offset_counts_once_and_an_offset_seen_before_is_skipped()
    {
        var pageview = TestEvents.Pageview("v1", TestEvents.Noon);
        Assert.Equal(0, Feed(pageview));
        var before = _out.Count;

        Assert.Equal(1, Feed(pageview));
        Assert.Equal(before, _out.Count);

        var old = _table.Sessionize([new LaneEvent(1, TestEvents.Pageview("v2", TestEvents.Noon))]);
        Assert.Empty(old.Appends);
        Assert.Empty(old.ChangedSessions);
        Assert.Equal(2, _table.Offset);
    }

    [Fact]
    public void The_same_events_give_the_same_rows_however_the_batches_are_cut()
    {
        var events = Day(visitors: 40, seed: 7);
        var whole = Rows(new LaneSessionTable(Producer), [events]);
        foreach (var size in new[] { 1, 3, 17, 100 })
        {
            Assert.Equal(whole, Rows(new LaneSessionTable(Producer), [.. events.Chunk(size)]));
        }
    }

    [Fact]
    public void A_lane_restored_from_its_checkpoint_replays_what_followed_into_the_same_rows()
    {
        var events = Day(visitors: 30, seed: 11);
        var (before, after) = (events[..(events.Length / 2)], events[(events.Length / 2)..]);
        var original = new LaneSessionTable(Producer);
        var stored = new Dictionary<ulong, StoredLaneSession>();
        foreach (var chunk in before.Chunk(7))
        {
            foreach (var session in original.Sessionize(chunk).ChangedSessions)
            {
                stored[session.Visitor] = session;
            }
        }

        var checkpoint = new LaneCheckpoint(original.Offset, original.Watermark, [.. stored.Values]);
        var expected = Rows(original, [.. after.Chunk(5)]);

        // A crash after the checkpoint: the stream redelivers from before it (skipped) and then the rest, cut differently.
        var restored = LaneSessionTable.Restore(Producer, checkpoint);
        Assert.Equal(expected, Rows(restored, [events[..(events.Length / 2 + 3)], .. after[3..].Chunk(11)]));
        Assert.Equal(original.OpenSessions, restored.OpenSessions);
    }

    [Fact]
    public void Sessions_with_text_of_several_bytes_per_character_are_restored_from_their_checkpoint_bytes_exactly()
    {
        // Entry pages, sources and countries of one to four UTF-8 bytes a character (the state's size is counted in bytes).
        var events = new[] { "/café", "/日本語/ページ", "/😀/ß", "/plain" }
            .Select((path, v) => TestEvents.Pageview($"v{v}", TestEvents.Noon.AddMinutes(v), path, source: $"Süßwaren {path}", country: v % 2 == 0 ? "DE" : "JP"))
            .Select((e, i) => new LaneEvent(i + 1, e)).ToArray();
        var original = new LaneSessionTable(Producer);
        var changed = original.Sessionize(events).ChangedSessions;
        Assert.Equal(events.Length, changed.Count);
        var later = events.Select((e, i) => new LaneEvent(events.Length + i + 1, e.Event with { Id = Guid.NewGuid(), Timestamp = e.Event.Timestamp.AddMinutes(10), Pathname = "/next" })).ToArray();
        var checkpoint = new LaneCheckpoint(original.Offset, original.Watermark, [.. changed]);
        var expected = Rows(original, [later]);

        var restored = LaneSessionTable.Restore(Producer, checkpoint);
        Assert.Equal(expected, Rows(restored, [later]));
    }

    [Fact]
    public void A_visitor_seen_twice_in_one_batch_gives_one_row_per_event_and_the_last_snapshot_of_each_session()
    {
        var batch = _table.Sessionize(
        [
            new LaneEvent(1, TestEvents.Pageview("v1", TestEvents.Noon, "/a")),
            new LaneEvent(2, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(1), "/b")),
            new LaneEvent(3, TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(40), "/c")),
            new LaneEvent(4, TestEvents.Pageview("v2", TestEvents.Noon.AddMinutes(2), "/a")),
        ]);

        var append = Assert.Single(batch.Appends).Append;
        Assert.Equal(4, append.Sequence);
        Assert.Equal([1L, 2, 3, 4], append.EventSequences);
        Assert.Equal(["/a", "/b", "/c", "/a"], append.Events.Select(e => e.Pathname));
        Assert.Equal([(2, "/b"), (1, "/a"), (1, "/c")], append.Sessions.OrderBy(s => s.Start).Select(s => (s.Pageviews, s.ExitPage)));
        Assert.Equal(2, batch.ChangedSessions.Count);
    }

    [Fact]
    public void Visitors_past_retention_behind_the_watermark_and_the_offset_are_forgotten_and_their_next_event_opens_a_new_session()
    {
        _table = new LaneSessionTable(Producer, retainedOffsets: 0);
        Feed(TestEvents.Pageview("v1", TestEvents.Noon));
        Feed(TestEvents.Pageview("v2", TestEvents.Noon.Add(LaneSessionTable.Retention).AddMinutes(2)));
        // The sweep runs as the watermark moves; v1 is gone, v2 stays.
        Assert.Equal(1, _table.OpenSessions);
        Assert.InRange(_table.ExpireBefore, TestEvents.Noon, _table.Watermark - LaneSessionTable.Retention);

        // A late event of v1 that would have continued its session (within 30 minutes of it) opens a new one instead.
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(20)));
        Assert.Equal(2, _out.Where(a => a.Append.Sessions.Any(s => s.Visitor == VisitorHash.Of("example.com", "v1"))).Select(a => a.Append.Sessions.Single().SessionId).Distinct().Count());
    }

    [Fact]
    public void A_sweep_of_expired_visitors_waits_for_an_eighth_as_many_events_as_open_sessions()
    {
        _table = new LaneSessionTable(Producer, retainedOffsets: 0);
        _table.Sessionize([.. Enumerable.Range(0, 800).Select(i => new LaneEvent(++_offset, TestEvents.Pageview($"v{i}", TestEvents.Noon)))]);
        var later = TestEvents.Noon.Add(LaneSessionTable.Retention).AddMinutes(2);

        // All 800 are past retention from the first late event on, but a walk of the table waits until the events
        // since the last one reach an eighth of the open sessions: 113 late ones are 113 < 913 / 8, the 114th is enough.
        for (var i = 0; i < 113; i++)
        {
            Feed(TestEvents.Pageview($"late-{i}", later.AddSeconds(i)));
        }

        Assert.Equal(913, _table.OpenSessions);
        Feed(TestEvents.Pageview("late-113", later.AddSeconds(113)));
        Assert.Equal(114, _table.OpenSessions);
    }

    [Fact]
    public void A_backfill_behind_live_traffic_is_still_sessionized_as_visits_and_kept_from_the_store_expiry()
    {
        Feed(TestEvents.Pageview("live", new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc)));
        Feed(TestEvents.Pageview("v1", TestEvents.Noon, "/a"));
        Feed(TestEvents.Pageview("v1", TestEvents.Noon.AddMinutes(5), "/b"));

        Assert.Equal((2, "/a", "/b"), (LastSession.Pageviews, LastSession.EntryPage, LastSession.ExitPage));
        Assert.True(_table.ExpireBefore <= TestEvents.Noon, $"the store may drop v1 ({_table.ExpireBefore:O})");
    }

    [Fact]
    public void Strings_are_shared_and_survive_compaction()
    {
        _table = new LaneSessionTable(Producer, retainedOffsets: 1_000);
        var start = TestEvents.Noon;
        for (var i = 0; i < 30_000; i++)
        {
            // Distinct pages that are forgotten with their visitors as the watermark moves on.
            Feed(TestEvents.Pageview($"v{i}", start.AddSeconds(i), $"/page/{i}", source: "Google"));
        }

        var last = LastSession;
        Assert.Equal((($"/page/29999"), "Google", "Organic Search"), (last.EntryPage, last.Source, last.Channel));
        Feed(TestEvents.Pageview("v29999", start.AddSeconds(30_000), "/next"));
        Assert.Equal(("/page/29999", "/next", 2), (LastSession.EntryPage, LastSession.ExitPage, LastSession.Pageviews));
        Assert.Same(_out[^1].Append.Sessions.Single().Source, _out[^2].Append.Sessions.Single().Source);
    }

    [Fact]
    public void Attribute_combinations_survive_compaction_with_the_sessions_that_hold_them()
    {
        _table = new LaneSessionTable(Producer, retainedOffsets: 1_000);
        var start = TestEvents.Noon;
        for (var i = 0; i < 30_000; i++)
        {
            // A combination per visitor (its own source), forgotten with it as the watermark moves on.
            Feed(TestEvents.Pageview($"v{i}", start.AddSeconds(i), "/", source: $"source-{i}"));
        }

        Feed(TestEvents.Pageview("v29999", start.AddSeconds(30_000), "/next", source: "ignored: fixed at the start"));
        Assert.Equal(("source-29999", "/", "/next", 2), (LastSession.Source, LastSession.EntryPage, LastSession.ExitPage, LastSession.Pageviews));
        Feed(TestEvents.Pageview("v-new", start.AddSeconds(30_001), "/", source: "source-29998"));
        Assert.Equal("source-29998", LastSession.Source);
    }

    [Fact]
    public void Open_sessions_cost_under_160_bytes_each()
    {
        // A whole number of slot chunks, so the figure is the cost per session, not growth headroom.
        const int visitors = 1 << 17;
        var events = Enumerable.Range(0, visitors).Select(i => new LaneEvent(i + 1, TestEvents.Pageview($"visitor-{i}", TestEvents.Noon.AddMilliseconds(i), $"/p/{i % 500}"))).ToList();
        _table.Sessionize(events);

        Assert.Equal(visitors, _table.OpenSessions);
        Assert.InRange(_table.EstimatedBytes / _table.OpenSessions, 100, 160);
    }

    /// <summary>Every row a table gives for the batches, per segment, in a stable order (what a segment would hold).</summary>
    private static List<string> Rows(LaneSessionTable table, IEnumerable<IReadOnlyList<LaneEvent>> batches)
    {
        var events = new List<string>();
        var sessions = new Dictionary<ulong, SessionRow>();
        foreach (var batch in batches)
        {
            foreach (var routed in table.Sessionize(batch).Appends)
            {
                var append = routed.Append;
                Assert.Equal(append.Events.Count, append.EventSequences.Count);
                events.AddRange(append.Events.Select((e, i) => $"{routed.Segment} {append.EventSequences[i]} {e}"));
                foreach (var s in append.Sessions)
                {
                    if (!sessions.TryGetValue(s.SessionId, out var current) || current.Version < s.Version)
                    {
                        sessions[s.SessionId] = s;
                    }
                }
            }
        }

        return [.. events.Order(StringComparer.Ordinal), .. sessions.Values.Select(s => s.ToString()).Order(StringComparer.Ordinal)];
    }

    /// <summary>A day of a few visitors' visits, in time order, with offsets.</summary>
    private static LaneEvent[] Day(int visitors, int seed)
    {
        var random = new Random(seed);
        var events = new List<TrackedEvent>();
        for (var v = 0; v < visitors; v++)
        {
            var at = TestEvents.Noon.AddMinutes(random.Next(0, 600));
            for (var n = random.Next(1, 8); n > 0; n--)
            {
                at = at.AddMinutes(random.Next(0, 45));
                events.Add(random.Next(5) == 0
                    ? TestEvents.Engagement($"v{v}", at, random.Next(1000, 60_000), $"/p{random.Next(4)}")
                    : TestEvents.Pageview($"v{v}", at, $"/p{random.Next(4)}", source: random.Next(2) == 0 ? "Google" : "Direct / None"));
            }
        }

        return [.. events.OrderBy(e => e.Timestamp).Select((e, i) => new LaneEvent(i + 1, e))];
    }
}

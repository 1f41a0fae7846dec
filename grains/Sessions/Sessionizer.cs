using System.IO.Hashing;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Grains.Sessions;

/// <summary>
/// The session rules, pure and deterministic: the same state and event always give the same segment append (same rows,
/// same producer sequence), which is what lets a segment recognise a replay after a crash.
/// A session ends after 30 minutes without events, or at <see cref="SegmentKey.SessionCutoff"/> after the end of the UTC
/// day it started in. It is a bounce while it has at most one pageview and no interactive custom event; it lasts from
/// its first to its last event (engagement included). An engagement event joins a live session and never opens one.
/// An event older than the visitor's current session start by more than the timeout (or from an earlier UTC day) never
/// joins it: it is a session of its own. A slightly older one, as two beacons sent together often arrive, joins it and
/// becomes its start.
/// Each event goes, with its session's snapshot, to the segment of the session's start day (its own day without one).
/// </summary>
public static class Sessionizer
{
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromMinutes(30);

    /// <summary>How many recent event ids a visitor remembers for de-duplication.</summary>
    public const int RememberedEventIds = 256;

    /// <summary>Applies one event; returns false when it was a duplicate and changed nothing.</summary>
    public static bool Apply(VisitorState state, TrackedEvent e, ICollection<RoutedAppend> output)
    {
        if (state.RecentEventIds.Contains(e.Id))
        {
            return false;
        }

        Remember(state, e.Id);
        state.Sequence++;
        var visitor = VisitorHash.Of(e.Site, e.VisitorId);
        var session = state.Session;
        SessionRow? row;
        if (session is not null && e.Timestamp < session.Row.Start && !ArrivedOutOfOrder(session, e))
        {
            // Imported, timestamped by its sender or delivered late: sessionized as if alone, the current session untouched.
            row = e.IsEngagement ? null : Open(e, visitor).Row;
        }
        else if (session is not null && Continues(session, e))
        {
            Extend(session, e);
            row = session.Row;
        }
        else if (e.IsEngagement)
        {
            row = null;
        }
        else
        {
            state.Session = Open(e, visitor);
            row = state.Session.Row;
        }

        output.Add(new RoutedAppend(
            SegmentKey.Of(e.Site, row?.Start ?? e.Timestamp).ToString(),
            new SegmentAppend
            {
                Producer = visitor,
                Sequence = state.Sequence,
                Events = [EventRowOf(e, visitor, row?.SessionId ?? 0)],
                Sessions = row is null ? [] : [row],
            }));
        return true;
    }

    /// <summary>The id of the session <paramref name="firstEvent"/> opens: the same events always give the same id, never 0.</summary>
    public static ulong SessionIdOf(ulong visitor, Guid firstEvent)
    {
        Span<byte> bytes = stackalloc byte[24];
        BitConverter.TryWriteBytes(bytes, visitor);
        firstEvent.TryWriteBytes(bytes[8..]);
        return Math.Max(1, XxHash64.HashToUInt64(bytes));
    }

    /// <summary>Earlier than the session's start, but close enough to be part of it: delivered out of order.</summary>
    private static bool ArrivedOutOfOrder(SessionState session, TrackedEvent e) =>
        session.Row.Start - e.Timestamp <= SessionTimeout && DateOnly.FromDateTime(e.Timestamp) == DateOnly.FromDateTime(session.Row.Start);

    private static bool Continues(SessionState session, TrackedEvent e) =>
        e.Timestamp - session.Row.End <= SessionTimeout
        && e.Timestamp < SegmentKey.Of(e.Site, session.Row.Start).LatestEventUtc
        && (e.SessionId is null || session.SenderSessionId is null || e.SessionId == session.SenderSessionId);

    private static void Remember(VisitorState state, Guid id)
    {
        if (state.RecentEventIds.Count >= RememberedEventIds)
        {
            state.RecentEventIds.RemoveAt(0);
        }

        state.RecentEventIds.Add(id);
    }

    private static SessionState Open(TrackedEvent e, ulong visitor)
    {
        var interacted = e.Interactive && !e.IsPageview;
        return new SessionState
        {
            Interacted = interacted,
            SenderSessionId = e.SessionId,
            Row = new SessionRow
            {
                SessionId = SessionIdOf(visitor, e.Id),
                Visitor = visitor,
                Start = e.Timestamp,
                End = e.Timestamp,
                Version = 1,
                EntryPage = e.Pathname,
                ExitPage = e.Pathname,
                Hostname = e.Hostname,
                Pageviews = e.IsPageview ? 1 : 0,
                Events = 1,
                Bounce = !interacted,
                Source = e.Source,
                Referrer = e.Referrer,
                Channel = ChannelClassifier.Classify(e.Source, e.UtmSource, e.UtmMedium, e.UtmCampaign),
                UtmSource = e.UtmSource,
                UtmMedium = e.UtmMedium,
                UtmCampaign = e.UtmCampaign,
                UtmContent = e.UtmContent,
                UtmTerm = e.UtmTerm,
                Device = e.Device,
                Browser = e.Browser,
                BrowserVersion = e.BrowserVersion,
                Os = e.Os,
                OsVersion = e.OsVersion,
                Country = e.Country,
                Region = e.Region,
                City = e.City,
                Screen = e.ScreenSize,
            },
        };
    }

    private static void Extend(SessionState session, TrackedEvent e)
    {
        var row = session.Row;
        var latest = e.Timestamp >= row.End;
        if (!e.IsEngagement)
        {
            // A session opened by a sender without session ids takes the first one it is given.
            session.SenderSessionId ??= e.SessionId;
            session.Interacted |= e.Interactive && !e.IsPageview;
        }

        var pageviews = row.Pageviews + (e.IsPageview ? 1 : 0);
        var first = e.Timestamp < row.Start;
        session.Row = row with
        {
            Start = first ? e.Timestamp : row.Start,
            EntryPage = first && e.IsPageview ? e.Pathname : row.EntryPage,
            End = latest ? e.Timestamp : row.End,
            Version = row.Version + 1,
            Pageviews = pageviews,
            Events = row.Events + (e.IsEngagement ? 0 : 1),
            ExitPage = e.IsPageview && latest ? e.Pathname : row.ExitPage,
            Bounce = pageviews <= 1 && !session.Interacted,
        };
    }

    private static EventRow EventRowOf(TrackedEvent e, ulong visitor, ulong session) => new()
    {
        Timestamp = e.Timestamp,
        Name = e.Name,
        Pathname = e.Pathname,
        Hostname = e.Hostname,
        Visitor = visitor,
        Session = session,
        Interactive = e.Interactive,
        EngagementMs = e.EngagementMs,
        ScrollDepth = e.ScrollDepth,
        Props = e.Props,
        RevenueAmount = e.RevenueAmount,
        RevenueCurrency = e.RevenueCurrency,
    };
}

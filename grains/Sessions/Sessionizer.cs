using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Grains.Sessions;

/// <summary>
/// The session rules, pure and deterministic: the same state and event always give the same contributions, which is
/// what lets a replay after a crash be recognised by the buckets.
/// A session ends after 30 minutes without events. It is a bounce while it has at most one pageview and no
/// interactive custom event. Its duration runs from its first to its last event (engagement events included).
/// Engagement events also add their engaged time and scroll depth to their page, and count as nothing else.
/// Session metrics are attributed to the buckets of the session's start; pageviews and events to their own time.
/// </summary>
public static class Sessionizer
{
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromMinutes(30);

    /// <summary>How many recent event ids a visitor remembers for de-duplication.</summary>
    public const int RememberedEventIds = 256;

    /// <summary>Applies one event; returns false when it was a duplicate and changed nothing.</summary>
    public static bool Apply(VisitorState state, TrackedEvent e, ICollection<BucketContribution> output)
    {
        if (state.RecentEventIds.Contains(e.Id))
        {
            return false;
        }

        Remember(state, e.Id);
        var visitor = VisitorHash.Of(e.Site, e.VisitorId);
        var session = state.Session;
        var continues = session is not null && e.Timestamp - session.LastSeen <= SessionTimeout
            && (e.SessionId is null || session.SessionId is null || e.SessionId == session.SessionId);

        if (e.IsEngagement)
        {
            output.Add(EventPart(e, visitor: null));
            // Engagement only lengthens a live session; it never opens one.
            if (continues)
            {
                AddSessionUpdate(output, e, session!, visitor, isPageview: false, interactive: false);
            }

            return true;
        }

        output.Add(EventPart(e, visitor));
        if (continues)
        {
            // A session opened by a sender without session ids takes the first one it is given.
            session!.SessionId ??= e.SessionId;
            AddSessionUpdate(output, e, session!, visitor, e.IsPageview, e.Interactive && !e.IsPageview);
        }
        else
        {
            state.Session = StartSession(output, e, visitor);
        }

        return true;
    }

    private static void Remember(VisitorState state, Guid id)
    {
        if (state.RecentEventIds.Count >= RememberedEventIds)
        {
            state.RecentEventIds.RemoveAt(0);
        }

        state.RecentEventIds.Add(id);
    }

    /// <summary>
    /// The event's own part, at its time: a pageview for its page or a custom event for its goal, with its visitor; an
    /// engagement's engaged time and scroll depth for its page, with no visitor (it counts as no pageview or event).
    /// </summary>
    private static BucketContribution EventPart(TrackedEvent e, ulong? visitor)
    {
        var (totals, dimension, value) = e.IsPageview ? (new Counters(Pageviews: 1, 0, 0, 0, 0), Dimensions.Page, e.Pathname)
            : e.IsEngagement ? (new Counters(0, 0, 0, 0, 0, e.EngagementMs, e.ScrollDepth ?? 0, e.ScrollDepth is null ? 0 : 1), Dimensions.Page, e.Pathname)
            : (new Counters(0, Events: 1, 0, 0, 0), Dimensions.Goal, e.Name);
        return new BucketContribution
        {
            Id = new ContributionId(e.Id, ContributionId.EventPart),
            Site = e.Site,
            At = e.Timestamp,
            Timezone = e.Timezone,
            Totals = totals,
            Visitor = visitor,
            Dimensions = [new DimensionDelta(dimension, value, totals, visitor)],
        };
    }

    private static SessionState StartSession(ICollection<BucketContribution> output, TrackedEvent e, ulong visitor)
    {
        var interacted = e.Interactive && !e.IsPageview;
        var session = new SessionState
        {
            Start = e.Timestamp,
            LastSeen = e.Timestamp,
            EntryPage = e.Pathname,
            ExitPage = e.Pathname,
            Pageviews = e.IsPageview ? 1 : 0,
            Interacted = interacted,
            CountedAsBounce = !interacted,
            Timezone = e.Timezone,
            Attributes = SessionAttributes(e),
            SessionId = e.SessionId,
        };

        var counters = new Counters(session.Pageviews, 0, Visits: 1, Bounces: session.CountedAsBounce ? 1 : 0, 0);
        var dimensions = new List<DimensionDelta>(session.Attributes.Count + 1);
        foreach (var (dimension, value) in session.Attributes)
        {
            dimensions.Add(new DimensionDelta(dimension, value, counters, visitor));
        }

        dimensions.Add(new DimensionDelta(Dimensions.ExitPage, session.ExitPage, new Counters(0, 0, Visits: 1, 0, 0), visitor));
        output.Add(new BucketContribution
        {
            Id = new ContributionId(e.Id, ContributionId.SessionPart),
            Site = e.Site,
            At = session.Start,
            Timezone = session.Timezone,
            Totals = new Counters(0, 0, Visits: 1, Bounces: counters.Bounces, 0),
            Visitor = visitor,
            Dimensions = dimensions,
        });
        return session;
    }

    private static void AddSessionUpdate(
        ICollection<BucketContribution> output, TrackedEvent e, SessionState session, ulong visitor, bool isPageview, bool interactive)
    {
        var dimensions = new List<DimensionDelta>();

        if (isPageview)
        {
            session.Pageviews++;
            if (!string.Equals(e.Pathname, session.ExitPage, StringComparison.Ordinal))
            {
                dimensions.Add(new DimensionDelta(Dimensions.ExitPage, session.ExitPage, new Counters(0, 0, Visits: -1, 0, 0), null));
                dimensions.Add(new DimensionDelta(Dimensions.ExitPage, e.Pathname, new Counters(0, 0, Visits: 1, 0, 0), visitor));
                session.ExitPage = e.Pathname;
            }
        }

        session.Interacted |= interactive;
        var isBounce = session.Pageviews <= 1 && !session.Interacted;
        var bounceDelta = session.CountedAsBounce && !isBounce ? -1 : 0;
        session.CountedAsBounce = isBounce;

        if (e.Timestamp > session.LastSeen)
        {
            session.LastSeen = e.Timestamp;
        }

        var durationMs = (long)(session.LastSeen - session.Start).TotalMilliseconds;
        var durationDelta = durationMs - session.CountedDurationMs;
        session.CountedDurationMs = durationMs;

        var sessionDelta = new Counters(isPageview ? 1 : 0, 0, 0, bounceDelta, durationDelta);
        if (!sessionDelta.IsZero)
        {
            foreach (var (dimension, value) in session.Attributes)
            {
                dimensions.Add(new DimensionDelta(dimension, value, sessionDelta, null));
            }
        }

        var totals = sessionDelta with { Pageviews = 0 };
        if (dimensions.Count == 0 && totals.IsZero)
        {
            return;
        }

        output.Add(new BucketContribution
        {
            Id = new ContributionId(e.Id, ContributionId.SessionPart),
            Site = e.Site,
            At = session.Start,
            Timezone = session.Timezone,
            Totals = totals,
            Dimensions = dimensions,
        });
    }

    private static List<KeyValuePair<string, string>> SessionAttributes(TrackedEvent e)
    {
        var attributes = new List<KeyValuePair<string, string>>(11)
        {
            new(Dimensions.EntryPage, e.Pathname),
            new(Dimensions.Source, e.Source),
            new(Dimensions.Country, e.Country),
            new(Dimensions.Device, e.Device),
            new(Dimensions.Browser, e.Browser),
            new(Dimensions.Os, e.Os),
        };
        AddIfPresent(attributes, Dimensions.Referrer, e.Referrer);
        AddIfPresent(attributes, Dimensions.UtmSource, e.UtmSource);
        AddIfPresent(attributes, Dimensions.UtmMedium, e.UtmMedium);
        AddIfPresent(attributes, Dimensions.UtmCampaign, e.UtmCampaign);
        AddIfPresent(attributes, Dimensions.Screen, e.ScreenSize);
        return attributes;
    }

    private static void AddIfPresent(List<KeyValuePair<string, string>> attributes, string dimension, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            attributes.Add(new(dimension, value));
        }
    }
}

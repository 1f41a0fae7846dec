using Analytics.GrainInterfaces.Events;

namespace Analytics.Tests.Differential;

/// <summary>
/// Seeded, deterministic traffic for the differential test: visitors with one to four visits of 1–10 pageviews, gaps
/// under and over the 30-minute timeout (and just under it), custom events with props and revenue, engagement events
/// (some after the timeout, so with no session), visits across UTC midnight and past the 1 h cutoff, and a few late
/// events older than the visitor's current session. Whole-second timestamps, strictly increasing per visitor except the
/// late ones, so that "first" and "last" never tie.
/// </summary>
public sealed class EventGenerator(int seed)
{
    private readonly SeededRandom _random = new(seed);

    public IReadOnlyList<VisitorStream> Generate(DifferentialSite site, DateOnly firstDay, int days, int visitors)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(site.Timezone);
        var from = TimeZoneInfo.ConvertTimeToUtc(firstDay.ToDateTime(TimeOnly.MinValue), zone);
        var to = TimeZoneInfo.ConvertTimeToUtc(firstDay.AddDays(days).ToDateTime(TimeOnly.MinValue), zone);
        var streams = new List<VisitorStream>(visitors);
        for (var i = 0; i < visitors; i++)
        {
            streams.Add(Visitor(site, $"{site.Domain[..4]}-{i:D5}-{_random.Next(1_000_000):D6}", from, to));
        }

        return streams;
    }

    private VisitorStream Visitor(DifferentialSite site, string visitorId, DateTime from, DateTime to)
    {
        var system = _random.Pick(Catalog.Systems);
        var browser = _random.Pick(Catalog.Browsers);
        var identity = new Identity(system.Os, _random.Pick(system.Versions), system.Device, browser.Browser, _random.Pick(browser.Versions), _random.Pick(Catalog.Places), _random.Pick(Catalog.Screens));
        var visitCount = _random.Weighted([(1, 60), (2, 25), (3, 10), (4, 5)]);
        var batches = new List<List<TrackedEvent>>();
        // The first visit anywhere in the period, the others within days of it.
        var last = from.AddSeconds(Math.Floor(_random.NextDouble() * (to - from).TotalSeconds)) - TimeSpan.FromMinutes(31);
        for (var v = 0; v < visitCount; v++)
        {
            var start = NextVisitStart(last, from, to);
            if (start is null)
            {
                break;
            }

            var visit = Visit(site, visitorId, identity, start.Value);
            last = visit[^1].Timestamp;
            batches.Add(visit);
        }

        if (batches.Count >= 2 && _random.NextDouble() < 0.08)
        {
            AddLateEvent(site, visitorId, identity, batches[^1]);
        }

        return new VisitorStream(site.Domain, visitorId, batches);
    }

    /// <summary>A start more than 31 minutes after the previous visit; one in 25 late in the UTC evening, to run past midnight.</summary>
    private DateTime? NextVisitStart(DateTime previous, DateTime from, DateTime to)
    {
        var earliest = previous.AddMinutes(31) > from ? previous.AddMinutes(31) : from;
        if (earliest >= to.AddHours(-2))
        {
            return null;
        }

        var span = (to.AddHours(-2) - earliest).TotalSeconds;
        var start = earliest.AddSeconds(Math.Floor(_random.NextDouble() * Math.Min(span, 2 * 86_400)));
        if (_random.NextDouble() < 0.04)
        {
            var evening = start.Date.AddHours(23).AddMinutes(_random.Next(10, 59)).AddSeconds(_random.Next(60));
            start = evening > earliest && evening < to.AddHours(-3) ? evening : start;
        }

        return DateTime.SpecifyKind(start, DateTimeKind.Utc);
    }

    private List<TrackedEvent> Visit(DifferentialSite site, string visitorId, Identity identity, DateTime start)
    {
        var events = new List<TrackedEvent>();
        var longVisit = start.Hour == 23;
        var pageviews = longVisit ? _random.Next(7, 11) : _random.Weighted([(1, 35), (2, 15), (3, 12), (4, 10), (5, 8), (6, 6), (7, 5), (8, 4), (9, 3), (10, 2)]);
        var hostPrefix = _random.Pick(Catalog.HostPrefixes);
        var referral = Attribution(withUtm: _random.NextDouble() < 0.3);
        var at = start;
        for (var p = 0; p < pageviews; p++)
        {
            // Later pageviews carry their own (different) attribution: the session keeps its first event's.
            var pageview = Event(site, visitorId, identity, at, EventNames.Pageview, _random.Pick(Catalog.Pages), hostPrefix, p == 0 ? referral : Attribution(false));
            events.Add(pageview);
            if (_random.NextDouble() < 0.15)
            {
                at = at.AddSeconds(_random.Next(2, 60));
                events.Add(CustomEvent(site, visitorId, identity, at, pageview.Pathname, hostPrefix, referral));
            }

            var gap = longVisit ? TimeSpan.FromSeconds(_random.Next(8 * 60, 20 * 60)) : Gap();
            if (_random.NextDouble() < 0.5)
            {
                var engagedAfter = TimeSpan.FromSeconds(_random.Next(1, Math.Max(2, (int)gap.TotalSeconds - 1)));
                events.Add(Engagement(pageview, at + engagedAfter, (long)engagedAfter.TotalMilliseconds - _random.Next(0, 500)));
            }

            at += gap;
        }

        if (_random.NextDouble() < 0.1)
        {
            // A tab left open: the engagement arrives after the timeout, with no live session.
            var lastEvent = events[^1];
            events.Add(Engagement(events.Last(e => e.IsPageview), lastEvent.Timestamp.AddSeconds(_random.Next(35 * 60, 50 * 60)), _random.Next(1000, 60_000)));
        }

        return events;
    }

    /// <summary>Mostly seconds to minutes; sometimes just under the timeout, sometimes over it (a new session).</summary>
    private TimeSpan Gap()
    {
        var roll = _random.NextDouble();
        var seconds = roll < 0.75 ? _random.Next(5, 300)
            : roll < 0.9 ? _random.Next(300, 1500)
            : roll < 0.96 ? _random.Next(1500, 1790)
            : _random.Next(1810, 2700);
        return TimeSpan.FromSeconds(seconds);
    }

    private void AddLateEvent(DifferentialSite site, string visitorId, Identity identity, List<TrackedEvent> currentVisit)
    {
        var at = currentVisit[0].Timestamp.AddSeconds(-_random.Next(3600, 40 * 3600));
        var late = _random.NextDouble() < 0.7
            ? Event(site, visitorId, identity, at, EventNames.Pageview, _random.Pick(Catalog.Pages), "", Attribution(_random.NextDouble() < 0.5))
            : CustomEvent(site, visitorId, identity, at, _random.Pick(Catalog.Pages), "", Attribution(false));
        currentVisit.Insert(1, late);
    }

    private TrackedEvent CustomEvent(DifferentialSite site, string visitorId, Identity identity, DateTime at, string page, string hostPrefix, Referral referral)
    {
        var (name, interactive) = _random.Pick(Catalog.Goals);
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in Catalog.PropKeys.Where(_ => _random.NextDouble() < 0.5))
        {
            props[key] = _random.Pick(Catalog.PropValues[key]);
        }

        var e = Event(site, visitorId, identity, at, name, page, hostPrefix, referral) with { Interactive = interactive, Props = props.Count == 0 ? null : props };
        if (name != Catalog.Purchase)
        {
            return e;
        }

        // A third of the purchases in dollars, told by the amount (no extra draw, so the rest of the data is as before).
        var cents = _random.Next(100, 20_000);
        return e with { RevenueAmount = cents / 100m, RevenueCurrency = cents % 3 == 0 ? "USD" : "EUR" };
    }

    private TrackedEvent Engagement(TrackedEvent pageview, DateTime at, long engagedMs) => pageview with
    {
        Id = NextGuid(),
        Name = EventNames.Engagement,
        Timestamp = at,
        Interactive = false,
        EngagementMs = Math.Max(0, engagedMs),
        ScrollDepth = _random.NextDouble() < 0.7 ? _random.Next(0, 101) : null,
        Props = null,
    };

    private TrackedEvent Event(DifferentialSite site, string visitorId, Identity identity, DateTime at, string name, string page, string hostPrefix, Referral referral) => new()
    {
        Id = NextGuid(),
        Site = site.Domain,
        VisitorId = visitorId,
        Timestamp = at,
        Timezone = site.Timezone,
        Name = name,
        Hostname = (_random.NextDouble() < 0.1 ? _random.Pick(Catalog.HostPrefixes) : hostPrefix) + site.Domain,
        Pathname = page,
        Referrer = referral.Referrer,
        Source = referral.Source,
        UtmSource = referral.UtmSource,
        UtmMedium = referral.UtmMedium,
        UtmCampaign = referral.UtmCampaign,
        UtmContent = referral.UtmContent,
        UtmTerm = referral.UtmTerm,
        Country = identity.Place.Country,
        Region = identity.Place.Region,
        City = identity.Place.City,
        Device = identity.Device,
        Browser = identity.Browser,
        BrowserVersion = identity.BrowserVersion,
        Os = identity.Os,
        OsVersion = identity.OsVersion,
        ScreenSize = identity.Screen,
    };

    private Referral Attribution(bool withUtm)
    {
        var (source, referrer) = _random.Pick(Catalog.Sources);
        return !withUtm
            ? new Referral(source, referrer, null, null, null, null, null)
            : new Referral(source, referrer, _random.Pick(Catalog.UtmSources), Maybe(Catalog.UtmMediums, 0.8), Maybe(Catalog.UtmCampaigns, 0.7),
                Maybe(Catalog.UtmContents, 0.4), Maybe(Catalog.UtmTerms, 0.3));
    }

    private string? Maybe(IReadOnlyList<string> values, double probability) => _random.NextDouble() < probability ? _random.Pick(values) : null;

    private Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private sealed record Identity(string Os, string OsVersion, string Device, string Browser, string BrowserVersion,
        (string Country, string? Region, string? City) Place, string? Screen);

    private sealed record Referral(string Source, string? Referrer, string? UtmSource, string? UtmMedium, string? UtmCampaign, string? UtmContent, string? UtmTerm);
}

using System.Collections.ObjectModel;
using System.Net;
using Analytics.Gateway.Enrichment;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Ingestion;

/// <summary>One beacon on its way through the pipeline: the request's facts, and what the put_* steps add.</summary>
public sealed class IngestionContext
{
    public required Beacon Beacon { get; init; }
    public required string UserAgent { get; init; }
    /// <summary>Used for the country and the cookieless hash; never stored.</summary>
    public required IPAddress? ClientIp { get; init; }
    public required DateTime ReceivedAt { get; init; }
    /// <summary>The browser asked not to be tracked (DNT: 1 or Sec-GPC: 1).</summary>
    public bool DoNotTrack { get; init; }

    /// <summary>
    /// The beacon's referrer as an absolute URL (any scheme; null when it has none or it does not parse), parsed once for
    /// the steps that read it: parsing it in each was 1 % of the silo's CPU under load.
    /// </summary>
    public Uri? ReferrerUri
    {
        get
        {
            if (!_referrerParsed)
            {
                _referrerUri = UrlText.ParseAbsolute(Beacon.Referrer);
                _referrerParsed = true;
            }

            return _referrerUri;
        }
    }

    private Uri? _referrerUri;
    private bool _referrerParsed;

    public UserAgentInfo? Agent { get; set; }
    public SiteSettings? Site { get; set; }
    public ParsedUrl? Url { get; set; }
    public string Source { get; set; } = "Direct / None";
    public string? Referrer { get; set; }
    public string? ScreenSize { get; set; }
    public string Country { get; set; } = UnknownValue;
    /// <summary>ISO 3166-2 code of the region ("DE-BE"), with a GeoIP City database.</summary>
    public string? Region { get; set; }
    /// <summary>GeoNames id of the city, with a GeoIP City database.</summary>
    public string? City { get; set; }
    public IReadOnlyDictionary<string, string> Props { get; set; } = ReadOnlyDictionary<string, string>.Empty;
    public string? VisitorId { get; set; }

    /// <summary>Set by drop_site_rate_limited when it drops: how long the sender should wait.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>
    /// When set, write_to_sink leaves the event here for the caller to append with the rest of its request, all or nothing
    /// (a GA4 request of several events); otherwise write_to_sink appends it and completes once it is durable.
    /// </summary>
    public ICollection<EventEnvelope>? Deferred { get; init; }

    /// <summary>The event as write_to_sink wrote (or deferred) it.</summary>
    public TrackedEvent? Event { get; set; }

    public const string UnknownValue = "(unknown)";

    public TrackedEvent ToTrackedEvent(Guid id)
    {
        var agent = Agent ?? throw new InvalidOperationException("put_user_agent has not run.");
        var url = Url ?? throw new InvalidOperationException("put_url has not run.");
        var site = Site ?? throw new InvalidOperationException("drop_unknown_site has not run.");
        var isEngagement = Beacon.Name == EventNames.Engagement;
        return new TrackedEvent
        {
            Id = id,
            Site = site.SiteKey,
            VisitorId = VisitorId ?? throw new InvalidOperationException("put_visitor_id has not run."),
            Timestamp = Beacon.OccurredAt ?? ReceivedAt,
            Timezone = site.Timezone,
            Name = Beacon.Name,
            Hostname = url.Hostname,
            Pathname = url.Pathname,
            Referrer = Referrer,
            Source = Source,
            UtmSource = url.UtmSource,
            UtmMedium = url.UtmMedium,
            UtmCampaign = url.UtmCampaign,
            UtmContent = url.UtmContent,
            UtmTerm = url.UtmTerm,
            Country = Country,
            Region = Region,
            City = City,
            Device = agent.Device,
            Browser = agent.Browser,
            BrowserVersion = agent.BrowserVersion,
            Os = agent.Os,
            OsVersion = agent.OsVersion,
            ScreenSize = ScreenSize,
            Interactive = !isEngagement && (Beacon.Interactive ?? true),
            EngagementMs = isEngagement ? Beacon.EngagementMs ?? 0 : 0,
            ScrollDepth = isEngagement ? Beacon.ScrollDepth : null,
            Props = Props.Count == 0 ? null : Props,
            RevenueAmount = Beacon.RevenueAmount,
            RevenueCurrency = Beacon.RevenueCurrency,
            SessionId = Beacon.SessionId,
        };
    }
}

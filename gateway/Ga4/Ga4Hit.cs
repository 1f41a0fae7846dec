using System.Globalization;
using Analytics.Gateway.Enrichment;
using Analytics.Gateway.Ingestion;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Gateway.Ga4;

/// <summary>One GA4 event as read from a Measurement Protocol body or a gtag.js hit, before it meets the pipeline.</summary>
public sealed record Ga4Hit
{
    public const string PageView = "page_view";
    public const string UserEngagement = "user_engagement";

    /// <summary>Params GA4 itself interprets; they become fields of the event, not props.</summary>
    private static readonly HashSet<string> ControlParams = new(StringComparer.Ordinal)
    {
        "page_location", "page_referrer", "session_id", "engagement_time_msec", "value", "currency",
    };

    /// <summary>Marks a user_id in <see cref="Beacon.ClientId"/>, so a user id and a client id of the same text are different visitors.</summary>
    public const string UserIdPrefix = "user_id:";

    public required string Name { get; init; }
    public required string ClientId { get; init; }
    /// <summary>The sender's own id of a signed-in user (MP user_id, gtag uid): the same person on every device.</summary>
    public string? UserId { get; init; }
    /// <summary>Scalar params as text (numbers in invariant form), items summed up as <see cref="Ga4Items"/> props.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();
    /// <summary>The request's user properties (MP user_properties, gtag up.* / upn.*): props of each of its events, under the event's own params.</summary>
    public IReadOnlyDictionary<string, string> UserProperties { get; init; } = new Dictionary<string, string>();
    public DateTime? OccurredAt { get; init; }
    /// <summary>The device the sender described (Measurement Protocol's device); null: read the request's User-Agent.</summary>
    public UserAgentInfo? Device { get; init; }
    /// <summary>An ISO country code the sender named (user_location.country_id).</summary>
    public string? Country { get; init; }
    /// <summary>An ISO 3166-2 region of that country the sender named (user_location.region_id).</summary>
    public string? Region { get; init; }
    public int? ScreenWidth { get; init; }

    /// <summary>
    /// page_view → pageview (page_location, page_referrer; page_title kept as a prop), user_engagement (gtag.js) →
    /// engagement with its engagement_time_msec, anything else → a custom event whose params are its props;
    /// purchase/refund value + currency → revenue (a refund negative). Events without page_location count on the
    /// site's root page. The visitor is the user_id when there is one (as GA4's user-id reporting identity counts one
    /// user across devices), else the client_id; either only as a keyed hash.
    /// </summary>
    public Beacon ToBeacon(string domain)
    {
        var name = Name switch
        {
            PageView => EventNames.Pageview,
            UserEngagement => EventNames.Engagement,
            _ => Name,
        };
        var props = Params.Where(p => !ControlParams.Contains(p.Key)).ToDictionary(StringComparer.Ordinal);
        foreach (var (key, value) in UserProperties)
        {
            props.TryAdd(key, value);
        }

        var (amount, currency) = Revenue();
        return new Beacon
        {
            Name = name,
            Domain = domain,
            Url = Params.GetValueOrDefault("page_location") is { Length: > 0 } location ? location : $"https://{domain}/",
            Referrer = Params.GetValueOrDefault("page_referrer") is { Length: > 0 } referrer ? referrer : null,
            ScreenWidth = ScreenWidth,
            Props = props,
            RevenueAmount = amount,
            RevenueCurrency = currency,
            EngagementMs = long.TryParse(Params.GetValueOrDefault("engagement_time_msec"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 0 ? ms : null,
            ClientId = UserId is { Length: > 0 } user ? UserIdPrefix + user : ClientId,
            SessionId = Params.GetValueOrDefault("session_id") is { Length: > 0 } session ? session : null,
            OccurredAt = OccurredAt,
        };
    }

    private (decimal? Amount, string? Currency) Revenue()
    {
        if (Name is not ("purchase" or "refund")
            || !decimal.TryParse(Params.GetValueOrDefault("value"), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || Params.GetValueOrDefault("currency") is not { Length: 3 } currency
            || !currency.All(char.IsAsciiLetter))
        {
            return (null, null);
        }

        return (Name == "refund" ? -Math.Abs(value) : value, currency.ToUpperInvariant());
    }

    /// <summary>"1920x1080" → 1920.</summary>
    public static int? WidthOf(string? resolution) =>
        resolution?.Split('x') is [var width, _] && int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w > 0 ? w : null;
}

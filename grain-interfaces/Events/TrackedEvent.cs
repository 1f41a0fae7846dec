using System.Text.Json.Serialization;

namespace Analytics.GrainInterfaces.Events;

/// <summary>
/// An accepted, enriched event: what the ingestion pipeline produced from one beacon.
/// Carries no raw IP address; <see cref="VisitorId"/> is either the tracker's cookie id or a salted hash.
/// </summary>
[GenerateSerializer, Immutable, Alias("TrackedEvent")]
public sealed record TrackedEvent
{
    [Id(0)] public required Guid Id { get; init; }
    [Id(1)] public required string Site { get; init; }
    [Id(2)] public required string VisitorId { get; init; }
    [Id(3)] public required DateTime Timestamp { get; init; }
    /// <summary>IANA time zone of the site when the event was accepted; decides its local day bucket.</summary>
    [Id(4)] public required string Timezone { get; init; }
    [Id(5)] public required string Name { get; init; }
    [Id(6)] public required string Hostname { get; init; }
    [Id(7)] public required string Pathname { get; init; }
    [Id(8)] public string? Referrer { get; init; }
    [Id(9)] public required string Source { get; init; }
    [Id(10)] public string? UtmSource { get; init; }
    [Id(11)] public string? UtmMedium { get; init; }
    [Id(12)] public string? UtmCampaign { get; init; }
    [Id(13)] public required string Country { get; init; }
    [Id(14)] public required string Device { get; init; }
    [Id(15)] public required string Browser { get; init; }
    [Id(16)] public required string BrowserVersion { get; init; }
    [Id(17)] public required string Os { get; init; }
    [Id(18)] public required string OsVersion { get; init; }
    [Id(19)] public string? ScreenSize { get; init; }
    [Id(20)] public bool Interactive { get; init; } = true;
    /// <summary>Engaged milliseconds reported by an engagement event.</summary>
    [Id(21)] public long EngagementMs { get; init; }
    [Id(22)] public IReadOnlyDictionary<string, string>? Props { get; init; }
    [Id(23)] public decimal? RevenueAmount { get; init; }
    [Id(24)] public string? RevenueCurrency { get; init; }
    /// <summary>The sender's own session id (GA4's session_id): a new one starts a new session before the timeout.</summary>
    [Id(25)] public string? SessionId { get; init; }
    /// <summary>Percent of the page seen (0–100), reported by an engagement event.</summary>
    [Id(26)] public int? ScrollDepth { get; init; }
    [Id(27)] public string? UtmContent { get; init; }
    [Id(28)] public string? UtmTerm { get; init; }
    /// <summary>ISO 3166-2 subdivision code (e.g. "DE-BE"), where a GeoIP city database is configured.</summary>
    [Id(29)] public string? Region { get; init; }
    /// <summary>GeoNames id of the city, as text, where a GeoIP city database is configured.</summary>
    [Id(30)] public string? City { get; init; }

    [JsonIgnore]
    public bool IsPageview => Name == EventNames.Pageview;

    [JsonIgnore]
    public bool IsEngagement => Name == EventNames.Engagement;

    /// <summary>The key that keeps one visitor's events together and ordered (Kafka key, log lane, grain key).</summary>
    [JsonIgnore]
    public string VisitorKey => VisitorKeys.Create(Site, VisitorId);
}

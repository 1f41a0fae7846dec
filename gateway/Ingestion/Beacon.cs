namespace Analytics.Gateway.Ingestion;

/// <summary>One beacon as received, in either Plausible wire form (full keys or the tracker's compact keys).</summary>
public sealed record Beacon
{
    public required string Name { get; init; }
    public required string Url { get; init; }
    public required string Domain { get; init; }
    public string? Referrer { get; init; }
    public int? ScreenWidth { get; init; }
    public bool HashMode { get; init; }
    public IReadOnlyDictionary<string, string> Props { get; init; } = new Dictionary<string, string>();
    public decimal? RevenueAmount { get; init; }
    public string? RevenueCurrency { get; init; }
    public bool? Interactive { get; init; }
    public long? EngagementMs { get; init; }
    /// <summary>The tracker's first-party cookie id, when the site uses cookies.</summary>
    public string? VisitorId { get; init; }
    /// <summary>A GA4 client id (the _ga cookie's id): the visitor is its keyed hash, on cookieless sites too.</summary>
    public string? ClientId { get; init; }
    /// <summary>A GA4 session id: a new one starts a new session.</summary>
    public string? SessionId { get; init; }
    /// <summary>When the event happened, if the sender says so (GA4's timestamp_micros); else when it was received.</summary>
    public DateTime? OccurredAt { get; init; }
}

using System.Collections.ObjectModel;

namespace Analytics.Gateway.Ingestion;

/// <summary>One beacon as received, in either Plausible wire form (full keys or the tracker's compact keys).</summary>
public sealed record Beacon
{
    public required string Name { get; init; }
    public required string Url { get; init; }
    /// <summary>The site this copy of the beacon is counted for (one of <see cref="Domains"/>).</summary>
    public required string Domain { get; init; }
    /// <summary>Every site the beacon names ("d" may list several, comma-separated): it counts once for each.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];
    public string? Referrer { get; init; }
    public int? ScreenWidth { get; init; }
    public bool HashMode { get; init; }
    public IReadOnlyDictionary<string, string> Props { get; init; } = ReadOnlyDictionary<string, string>.Empty;
    public decimal? RevenueAmount { get; init; }
    public string? RevenueCurrency { get; init; }
    public bool? Interactive { get; init; }
    public long? EngagementMs { get; init; }
    /// <summary>Percent of the page seen (0–100; Plausible caps above 100), only on engagement events.</summary>
    public int? ScrollDepth { get; init; }
    /// <summary>Our tracker's random id ("vid"; "v" as a string from older copies of our script).</summary>
    public string? VisitorId { get; init; }
    /// <summary>A GA4 client id (the _ga cookie's id): the visitor is its keyed hash, on cookieless sites too.</summary>
    public string? ClientId { get; init; }
    /// <summary>A GA4 session id: a new one starts a new session.</summary>
    public string? SessionId { get; init; }
    /// <summary>When the event happened, if the sender says so (GA4's timestamp_micros); else when it was received.</summary>
    public DateTime? OccurredAt { get; init; }
}

using System.ComponentModel.DataAnnotations;

namespace Analytics.Gateway.Abuse;

/// <summary>
/// Limits (Analytics:RateLimits) on POST /api/event, per client IP (as <see cref="Ingestion.ClientIpResolver"/> sees it)
/// and per registered site, and on reads per credential and at once (<see cref="QueryLimiter"/>). Fixed windows; a
/// rejected request gets 429 problem+json with Retry-After.
/// The defaults are generous: a busy office behind one NAT, or a site on the front page of a news aggregator, fits.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Analytics:RateLimits";

    public bool Enabled { get; set; } = true;

    [Range(1, 10_000_000)]
    public int EventsPerIp { get; set; } = 600;

    [Range(1, 100_000_000)]
    public int EventsPerSite { get; set; } = 60_000;

    /// <summary>Queries, realtime reads and exports one credential (key, share link, admin session) may start per window.</summary>
    [Range(1, 10_000_000)]
    public int QueriesPerCredential { get; set; } = 1200;

    /// <summary>Reads that run at once on this process; more wait in a queue of <see cref="QueuedQueries"/>, then get 429.</summary>
    [Range(1, 10_000)]
    public int ConcurrentQueries { get; set; } = Math.Max(2, Environment.ProcessorCount * 2);

    [Range(0, 10_000)]
    public int QueuedQueries { get; set; } = 32;

    /// <summary>The window the per-IP, per-site and per-credential limits count in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

using System.ComponentModel.DataAnnotations;

namespace Analytics.Gateway.Abuse;

/// <summary>
/// Limits on POST /api/event (Analytics:RateLimits): per client IP (as <see cref="Ingestion.ClientIpResolver"/> sees it)
/// and per registered site. Fixed windows; a rejected beacon gets 429 problem+json with Retry-After.
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

    /// <summary>The window both limits count in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

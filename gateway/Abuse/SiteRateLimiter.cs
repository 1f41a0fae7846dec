using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Abuse;

/// <summary>
/// The per-site limit of POST /api/event. The site is only known once the body is read and the site found, so this
/// runs inside the endpoint (the per-IP limit, <see cref="ClientIpRateLimiter"/>, runs before it); only registered sites
/// are counted, so unknown domains cannot grow it. Counted like the per-IP limit (<see cref="FixedWindowCounter{TKey}"/>):
/// ASP.NET Core's partitioned limiter cost a partition lookup, a factory delegate and a lease per beacon.
/// </summary>
public sealed class SiteRateLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private readonly bool _enabled = options.Value.Enabled;
    private readonly FixedWindowCounter<string> _counter = new(options.Value.EventsPerSite, options.Value.Window, time);

    /// <summary>Null when the event may go on; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(string site) => _enabled ? _counter.TryAcquire(site) : null;
}

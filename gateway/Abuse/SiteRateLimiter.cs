using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Abuse;

/// <summary>
/// The per-site limit of POST /api/event. The site is only known once the body is read and the site found, so this
/// runs inside the endpoint (the per-IP limit, <see cref="ClientIpRateLimiter"/>, runs before it); partitions exist only for
/// registered sites, so unknown domains cannot grow it.
/// </summary>
public sealed class SiteRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SiteRateLimiter(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        Window = o.Window;
        _limiter = PartitionedRateLimiter.Create<string, string>(site => o.Enabled
            ? RateLimitPartition.GetFixedWindowLimiter(site, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = o.EventsPerSite,
                Window = o.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter(site));
    }

    public TimeSpan Window { get; }

    /// <summary>Null when the event may go on; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(string site)
    {
        using var lease = _limiter.AttemptAcquire(site);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
    }

    public void Dispose() => _limiter.Dispose();
}

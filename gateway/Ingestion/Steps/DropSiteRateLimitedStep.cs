using Analytics.Gateway.Abuse;

namespace Analytics.Gateway.Ingestion.Steps;

/// <summary>The per-site limit, once the site is known and the event would be written: over it, the sender is told to retry.</summary>
public sealed class DropSiteRateLimitedStep(SiteRateLimiter limiter) : IIngestionStep
{
    public string Name => "drop_site_rate_limited";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        var site = context.Site ?? throw new InvalidOperationException("drop_unknown_site has not run.");
        context.RetryAfter = limiter.TryAcquire(site.SiteKey);
        return ValueTask.FromResult(context.RetryAfter is null ? null : (DropReason?)DropReason.SiteRateLimited);
    }
}

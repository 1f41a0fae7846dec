using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Abuse;

/// <summary>
/// Keeps reads (queries, realtime, exports) from crowding everyone else out: each credential (API key, share link, admin
/// session) may start <see cref="RateLimitOptions.QueriesPerCredential"/> per window, and at most
/// <see cref="RateLimitOptions.ConcurrentQueries"/> run at once with a short queue behind them. Over either: 429
/// problem+json with Retry-After, at once, instead of a slowdown for everyone.
/// </summary>
public sealed class QueryLimiter : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly PartitionedRateLimiter<string> _perCredential;
    private readonly ConcurrencyLimiter _concurrent;

    public QueryLimiter(IOptions<RateLimitOptions> options)
    {
        _options = options.Value;
        _perCredential = PartitionedRateLimiter.Create<string, string>(credential => RateLimitPartition.GetFixedWindowLimiter(credential, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = _options.QueriesPerCredential,
            Window = _options.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        _concurrent = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _options.ConcurrentQueries,
            QueueLimit = _options.QueuedQueries,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Runs the endpoint within both limits; mapped on every read endpoint.</summary>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!_options.Enabled)
        {
            return await next(context);
        }

        using var rate = _perCredential.AttemptAcquire(Credential(http));
        if (!rate.IsAcquired)
        {
            return Problems.TooManyRequests(http.Response, rate.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _options.Window,
                "Too many queries with this credential; retry later.");
        }

        using var slot = await _concurrent.AcquireAsync(1, http.RequestAborted);
        if (!slot.IsAcquired)
        {
            return Problems.TooManyRequests(http.Response, TimeSpan.FromSeconds(1), "The server is busy with other queries; retry shortly.");
        }

        return await next(context);
    }

    public void Dispose()
    {
        _perCredential.Dispose();
        _concurrent.Dispose();
    }

    /// <summary>The authenticated credential: its kind and name (key:…, share:…, the admin's email).</summary>
    private static string Credential(HttpContext http) => (http.User.Identity?.AuthenticationType ?? "none") + "/" + (http.User.Identity?.Name ?? "");
}

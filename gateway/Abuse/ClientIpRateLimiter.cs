using System.Net;
using Analytics.Gateway.Ingestion;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Abuse;

/// <summary>
/// The per-client-address limit of the ingestion endpoints (<see cref="RateLimitOptions.EventsPerIp"/> per window), the
/// address as <see cref="ClientIpResolver"/> sees it (behind a trusted proxy, the client it forwards for). Over it:
/// 429 problem+json with Retry-After, before the body is read.
/// </summary>
public sealed class ClientIpRateLimiter(IOptions<RateLimitOptions> options, ClientIpResolver resolver, TimeProvider time)
{
    private readonly RateLimitOptions _options = options.Value;
    private readonly FixedWindowCounter<IPAddress> _counter = new(options.Value.EventsPerIp, options.Value.Window, time);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (_options.Enabled
            && _counter.TryAcquire(resolver.Resolve(http.Connection.RemoteIpAddress, http.Request.Headers["X-Forwarded-For"]) ?? IPAddress.None) is { } retryAfter)
        {
            return ValueTask.FromResult<object?>(Problems.TooManyRequests(http.Response, retryAfter, "Too many events from this address; retry later."));
        }

        return next(context);
    }
}

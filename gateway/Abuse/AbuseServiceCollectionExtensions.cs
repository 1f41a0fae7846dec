using System.Net;
using System.Threading.RateLimiting;
using Analytics.Gateway.Ingestion;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Abuse;

public static class AbuseServiceCollectionExtensions
{
    /// <summary>The rate-limiting policy of POST /api/event: a fixed window per client IP.</summary>
    public const string EventsPerIpPolicy = "events-per-ip";

    /// <summary>Kestrel request limits, the per-IP policy for ingestion and the per-site limiter.</summary>
    public static IServiceCollection AddAbuseLimits(this IServiceCollection services)
    {
        services.AddOptions<HttpLimitsOptions>().BindConfiguration(HttpLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpLimitsOptions>>((kestrel, http) =>
        {
            var limits = http.Value;
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes;
            kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestLineSize = limits.MaxRequestLineBytes;
        });

        services.AddSingleton<SiteRateLimiter>();
        services.AddSingleton<QueryLimiter>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(EventsPerIpPolicy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var ip = http.RequestServices.GetRequiredService<ClientIpResolver>()
                    .Resolve(http.Connection.RemoteIpAddress, http.Request.Headers["X-Forwarded-For"]);
                var key = ip?.ToString() ?? IPAddress.None.ToString();
                return options.Enabled
                    ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.EventsPerIp,
                        Window = options.Window,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(key);
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var window = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Window;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
                await Problems.TooManyRequests(http.Response, retryAfter, "Too many events from this address; retry later.").ExecuteAsync(http);
            };
        });
        return services;
    }
}

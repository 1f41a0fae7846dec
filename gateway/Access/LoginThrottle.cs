using System.Threading.RateLimiting;
using Analytics.Gateway.Ingestion;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Access;

/// <summary>
/// Slows password guessing at /login: each client address may fail <see cref="AccessOptions.LoginFailures"/> times per
/// <see cref="AccessOptions.LoginFailureWindow"/>; after that its attempts get 429 until the window ends. Only failures
/// count, so people who type their password right are never held up.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly TimeSpan _window;

    public LoginThrottle(IOptions<AccessOptions> options)
    {
        var access = options.Value;
        _window = access.LoginFailureWindow;
        _failures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = access.LoginFailures,
            Window = access.LoginFailureWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>The address the attempt is counted under: the resolved client IP where the host trusts proxies, else the peer.</summary>
    public static string ClientOf(HttpContext http) =>
        (http.RequestServices.GetService<ClientIpResolver>() is { } resolver
            ? resolver.Resolve(http.Connection.RemoteIpAddress, http.Request.Headers["X-Forwarded-For"])
            : http.Connection.RemoteIpAddress)?.ToString() ?? "unknown";

    /// <summary>True while <paramref name="client"/> has failures left in this window.</summary>
    public bool MayTry(string client) => _failures.GetStatistics(client) is not { CurrentAvailablePermits: <= 0 };

    public void RecordFailure(string client)
    {
        using var lease = _failures.AttemptAcquire(client);
    }

    public TimeSpan RetryAfter => _window;

    public void Dispose() => _failures.Dispose();
}

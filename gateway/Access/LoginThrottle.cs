using Analytics.Gateway.Ingestion;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Access;

/// <summary>
/// Slows password guessing at /login: each client address may fail <see cref="AccessOptions.LoginFailures"/> times per
/// <see cref="AccessOptions.LoginFailureWindow"/>; after that its attempts get 429 until the window ends. An attempt
/// reserves a failure before the password is checked (check and count in one step, so simultaneous guesses cannot all
/// pass the check), and a right password gives its reservation back: people who type it right are never held up.
/// </summary>
public sealed class LoginThrottle(IOptions<AccessOptions> options, TimeProvider time)
{
    /// <summary>Addresses tracked before expired windows are swept out.</summary>
    private const int SweepAbove = 10_000;

    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The address the attempt is counted under: the resolved client IP where the host trusts proxies, else the peer.</summary>
    public static string ClientOf(HttpContext http) =>
        (http.RequestServices.GetService<ClientIpResolver>() is { } resolver
            ? resolver.Resolve(http.Connection.RemoteIpAddress, http.Request.Headers["X-Forwarded-For"])
            : http.Connection.RemoteIpAddress)?.ToString() ?? "unknown";

    /// <summary>Counts an attempt as a failure in advance; false (nothing counted) when the address has none left.</summary>
    public bool TryReserve(string client)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_windows.Count > SweepAbove)
            {
                foreach (var expired in _windows.Where(w => now >= w.Value.Ends).Select(w => w.Key).ToList())
                {
                    _windows.Remove(expired);
                }
            }

            if (!_windows.TryGetValue(client, out var window) || now >= window.Ends)
            {
                window = new Window(now + options.Value.LoginFailureWindow, 0);
            }

            if (window.Failures >= options.Value.LoginFailures)
            {
                return false;
            }

            _windows[client] = window with { Failures = window.Failures + 1 };
            return true;
        }
    }

    /// <summary>The attempt was not a wrong password (it succeeded, or never reached the check): its reservation is returned.</summary>
    public void Release(string client)
    {
        lock (_lock)
        {
            if (_windows.TryGetValue(client, out var window) && window.Failures > 0)
            {
                _windows[client] = window with { Failures = window.Failures - 1 };
            }
        }
    }

    public TimeSpan RetryAfter => options.Value.LoginFailureWindow;

    private readonly record struct Window(DateTimeOffset Ends, int Failures);
}

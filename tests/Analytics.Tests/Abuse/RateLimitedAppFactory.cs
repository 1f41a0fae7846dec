using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Tests.Abuse;

/// <summary>The embedded host with tiny rate limits: 3 events per IP and 5 per site per hour, 3 failed logins per address.</summary>
public sealed class RateLimitedAppFactory : EmbeddedAppFactory
{
    public const int PerIp = 3;
    public const int PerSite = 5;
    public const int LoginFailures = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Analytics:RateLimits:EventsPerIp", PerIp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Analytics:RateLimits:EventsPerSite", PerSite.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // An hour: the windows start with the host and are shared by every key, so a test's few requests straddle no boundary.
        builder.UseSetting("Analytics:RateLimits:Window", "01:00:00");
        // Loopback plays the trusted proxy here (none is trusted by default).
        builder.UseSetting("Analytics:Ingestion:TrustedProxies:0", "127.0.0.1");
        builder.UseSetting("Analytics:Ingestion:TrustedProxies:1", "::1");
        builder.UseSetting("Analytics:Auth:LoginFailures", LoginFailures.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

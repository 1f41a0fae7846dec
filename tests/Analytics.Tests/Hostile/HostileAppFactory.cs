using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Tests.Hostile;

/// <summary>The embedded host with rate limits out of the way, so the corpus meets the code behind them.</summary>
public sealed class HostileAppFactory : EmbeddedAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Analytics:RateLimits:EventsPerIp", "10000000");
        builder.UseSetting("Analytics:RateLimits:EventsPerSite", "10000000");
        // Loopback plays the trusted proxy here (none is trusted by default).
        builder.UseSetting("Analytics:Ingestion:TrustedProxies:0", "127.0.0.1");
        builder.UseSetting("Analytics:Ingestion:TrustedProxies:1", "::1");
        builder.UseSetting("Analytics:RateLimits:QueriesPerCredential", "10000000");
        builder.UseSetting("Analytics:RateLimits:QueuedQueries", "10000");
    }
}

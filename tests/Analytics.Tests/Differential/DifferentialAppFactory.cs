using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Tests.Differential;

/// <summary>
/// The embedded host for the differential test: no result cache (a poll for completeness must never read an answer
/// cached while the events were still arriving) and no per-credential query limit (hundreds of queries in a minute).
/// </summary>
public sealed class DifferentialAppFactory : EmbeddedAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Analytics:Cache:Provider", "None");
        builder.UseSetting("Analytics:RateLimits:QueriesPerCredential", "1000000");
    }
}

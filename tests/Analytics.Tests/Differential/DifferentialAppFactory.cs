using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Tests.Differential;

/// <summary>
/// The embedded host for the differential test: no result cache (a poll for completeness must never read an answer
/// cached while the events were still arriving), no per-credential query limit (hundreds of queries in a minute), and
/// the dollar rate of <see cref="Catalog.Purchase"/>'s revenue goal (in euros).
/// </summary>
public sealed class DifferentialAppFactory : EmbeddedAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Analytics:Cache:Provider", "None");
        builder.UseSetting("Analytics:RateLimits:QueriesPerCredential", "1000000");
        builder.UseSetting("Analytics:Revenue:Rates:EURUSD", Catalog.EurUsd.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

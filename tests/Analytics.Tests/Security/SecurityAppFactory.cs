using System.Globalization;
using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Tests.Security;

/// <summary>The embedded host with small read and login limits, so tests can reach them.</summary>
public sealed class SecurityAppFactory : EmbeddedAppFactory
{
    public const int QueriesPerCredential = 8;
    public const int LoginFailures = 5;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Analytics:RateLimits:QueriesPerCredential", QueriesPerCredential.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Analytics:RateLimits:Window", "00:10:00");
        builder.UseSetting("Analytics:Auth:LoginFailures", LoginFailures.ToString(CultureInfo.InvariantCulture));
    }
}

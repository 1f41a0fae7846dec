using Microsoft.AspNetCore.Hosting;

namespace Analytics.Tests.Functional;

/// <summary>The embedded host with one exchange rate: a euro costs 1.25 dollars.</summary>
public sealed class RevenueAppFactory : EmbeddedAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Analytics:Revenue:Rates:EURUSD", "1.25");
    }
}

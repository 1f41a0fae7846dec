using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Tests.Security;

/// <summary>The embedded host running one read at a time, with no queue behind it.</summary>
public sealed class OneQueryAtATimeAppFactory : EmbeddedAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Analytics:RateLimits:ConcurrentQueries", "1");
        builder.UseSetting("Analytics:RateLimits:QueuedQueries", "0");
    }
}

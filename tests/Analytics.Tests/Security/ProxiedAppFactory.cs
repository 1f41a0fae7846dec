using System.Net;
using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Tests.Security;

/// <summary>The embedded host behind one trusted proxy, <see cref="Proxy"/> (and no other).</summary>
public sealed class ProxiedAppFactory : EmbeddedAppFactory
{
    public static readonly IPAddress Proxy = IPAddress.Parse("203.0.113.7");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Analytics:Ingestion:TrustedProxies:0", Proxy.ToString());
    }
}

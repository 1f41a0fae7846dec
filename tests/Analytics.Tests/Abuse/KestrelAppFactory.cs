using Analytics.Testing;
using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Tests.Abuse;

/// <summary>
/// The embedded host on a real Kestrel socket (loopback, a trusted proxy): for what the in-memory server cannot
/// show — the server's request limits, raw protocol abuse, X-Forwarded-For from a real peer address.
/// </summary>
public sealed class KestrelAppFactory : EmbeddedAppFactory
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxHeadersBytes = 8 * 1024;
    public const int MaxRequestLineBytes = 4 * 1024;
    public const int MaxHeaderCount = 40;

    public KestrelAppFactory()
    {
        Port = FreePort.Next();
        UseKestrel(Port);
    }

    public int Port { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Analytics:Http:MaxRequestBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Analytics:Http:MaxRequestHeadersTotalBytes", MaxHeadersBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Analytics:Http:MaxRequestLineBytes", MaxRequestLineBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Analytics:Http:MaxRequestHeaderCount", MaxHeaderCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Loopback plays the trusted proxy here (none is trusted by default).
        builder.UseSetting("Analytics:Ingestion:TrustedProxies:0", "127.0.0.1");
        builder.UseSetting("Analytics:Ingestion:TrustedProxies:1", "::1");
    }
}

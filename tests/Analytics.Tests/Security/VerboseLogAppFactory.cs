using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Tests.Security;

/// <summary>The embedded host logging Microsoft.AspNetCore at Information, into <see cref="Logs"/>.</summary>
public sealed class VerboseLogAppFactory : EmbeddedAppFactory
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Logging:LogLevel:Default", "Information");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Information");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}

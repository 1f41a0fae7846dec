namespace Analytics.Gateway.Hosting;

/// <summary>How each process (embedded host, gateway, dashboard) is built, whatever folder it is started from.</summary>
public static class HostStart
{
    /// <summary>
    /// Log levels used unless configuration says otherwise (lowest-priority source): the framework and Orleans report
    /// warnings and errors only, so the start-up block and real problems are not buried under per-request lines.
    /// </summary>
    private static readonly Dictionary<string, string?> QuietLogging = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Yarp"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
    };

    /// <summary>
    /// The content root (where appsettings.json and a relative data directory are found) is the application's own folder,
    /// not the working directory: `dotnet /opt/analytics/Analytics.Silo.dll` from anywhere, or a service manager, finds
    /// its settings. --contentRoot or ASPNETCORE_CONTENTROOT / DOTNET_CONTENTROOT still choose another.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = IsContentRootSet(args) ? null : AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = QuietLogging });
        return builder;
    }

    private static bool IsContentRootSet(string[] args) =>
        args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase)) ||
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT")) ||
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
}

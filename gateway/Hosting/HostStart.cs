namespace Analytics.Gateway.Hosting;

/// <summary>How the process is built, whatever folder it is started from.</summary>
public static class HostStart
{
    /// <summary>
    /// The content root (where appsettings.json and a relative data directory are found) is the application's own folder,
    /// not the working directory: `dotnet /opt/analytics/Analytics.Silo.dll` from anywhere, or a service manager, finds
    /// its settings. --contentRoot or ASPNETCORE_CONTENTROOT / DOTNET_CONTENTROOT still choose another.
    /// </summary>
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        ContentRootPath = IsContentRootSet(args) ? null : AppContext.BaseDirectory,
    };

    private static bool IsContentRootSet(string[] args) =>
        args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase)) ||
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT")) ||
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
}

using Analytics.GrainInterfaces.Sites;

namespace Analytics.Silo.Sites;

/// <summary>Registers the sites listed under Analytics:Sites once the silo is up; sites already registered keep their settings.</summary>
public sealed partial class ConfiguredSitesRegistration(
    IConfiguration configuration, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<ConfiguredSitesRegistration> logger)
    : IHostedService
{
    public const string SectionName = "Analytics:Sites";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = RegisterAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RegisterAsync()
    {
        foreach (var site in configuration.GetSection(SectionName).Get<List<ConfiguredSite>>() ?? [])
        {
            try
            {
                var grain = grains.GetGrain<ISiteGrain>(site.Domain.Trim().ToLowerInvariant());
                if (await grain.GetSettingsAsync() is null)
                {
                    await grain.RegisterAsync(new SiteSettings
                    {
                        Domain = site.Domain,
                        Timezone = TimeZones.IsKnown(site.Timezone) ? site.Timezone : "Etc/UTC",
                        Cookieless = site.Cookieless,
                        AllowedHostnames = site.AllowedHostnames,
                        RespectDoNotTrack = site.RespectDoNotTrack,
                    });
                    LogRegistered(site.Domain);
                }
            }
            catch (Exception ex)
            {
                LogFailed(site.Domain, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered configured site {Domain}")]
    private partial void LogRegistered(string domain);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not register configured site {Domain}")]
    private partial void LogFailed(string domain, Exception ex);
}

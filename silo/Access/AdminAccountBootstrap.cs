using System.Security.Cryptography;
using Analytics.Gateway.Access;
using Analytics.GrainInterfaces.Access;
using Analytics.Sqlite.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Analytics.Silo.Access;

/// <summary>
/// The embedded profile without a configured admin password: on first start, generates one and keeps only its hash
/// (grain state); later starts load that hash. A configured password or hash always wins. Once the admin account is
/// ready, prints the <see cref="StartupBanner"/> (with the generated password, the only time it is shown).
/// </summary>
public sealed partial class AdminAccountBootstrap(
    AdminAccounts admins,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    IServer server,
    IOptions<SqliteStorageOptions> storage,
    ILogger<AdminAccountBootstrap> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // After start: the silo must be up to reach the grain, and the server to know its address.
        lifetime.ApplicationStarted.Register(() => _ = StartedAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task StartedAsync()
    {
        string? generated;
        try
        {
            generated = admins.IsConfigured ? null : await InitializeAsync();
        }
        catch (Exception ex)
        {
            LogFailed(ex);
            return;
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
        LogReady(StartupBanner.Format(StartupBanner.Browsable(address), admins.Email, generated, storage.Value.DataDirectory));
    }

    /// <summary>The password generated now, or null when an earlier start generated it (its hash is loaded).</summary>
    private async Task<string?> InitializeAsync()
    {
        var grain = grains.GetGrain<IAdminAccountGrain>(0);
        if (await grain.GetPasswordHashAsync() is { } stored)
        {
            admins.UseStoredHash(stored);
            return null;
        }

        var password = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(18));
        var hash = admins.HashPassword(password);
        stored = await grain.InitializeAsync(hash);
        admins.UseStoredHash(stored);
        return stored == hash ? password : null;
    }

    // Warning, so the block shows whatever the log levels are (it is printed once per start).
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Banner}")]
    private partial void LogReady(string banner);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not set up the admin account; logins fail until the next start")]
    private partial void LogFailed(Exception exception);
}

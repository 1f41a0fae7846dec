using System.Security.Cryptography;
using Analytics.Gateway.Access;
using Analytics.GrainInterfaces.Access;
using Microsoft.AspNetCore.WebUtilities;

namespace Analytics.Silo.Access;

/// <summary>
/// The embedded profile without a configured admin password: on first start, generates one, writes it to the log once
/// and keeps only its hash (grain state); later starts load that hash. A configured password or hash always wins.
/// </summary>
public sealed partial class AdminAccountBootstrap(
    AdminAccounts admins, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<AdminAccountBootstrap> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!admins.IsConfigured)
        {
            // After start: the silo must be up to reach the grain.
            lifetime.ApplicationStarted.Register(() => _ = InitializeAsync());
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task InitializeAsync()
    {
        try
        {
            var grain = grains.GetGrain<IAdminAccountGrain>(0);
            if (await grain.GetPasswordHashAsync() is { } stored)
            {
                admins.UseStoredHash(stored);
                return;
            }

            var password = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(18));
            var hash = admins.HashPassword(password);
            stored = await grain.InitializeAsync(hash);
            admins.UseStoredHash(stored);
            if (stored == hash)
            {
                LogGenerated(admins.Email, password);
            }
        }
        catch (Exception ex)
        {
            LogFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Generated the dashboard admin account: log in at /login as {Email} with password {Password} . It is shown only this once " +
        "(only its hash is stored); set Analytics:Auth:Admin:Password or PasswordHash to choose your own.")]
    private partial void LogGenerated(string email, string password);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not set up the admin account; logins fail until the next start")]
    private partial void LogFailed(Exception exception);
}

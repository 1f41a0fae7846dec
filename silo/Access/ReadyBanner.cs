using Analytics.Gateway.Access;
using Analytics.Sqlite.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Analytics.Silo.Access;

/// <summary>
/// The embedded host's start-up block: once the silo and the server are up, makes the admin account usable
/// (<see cref="AdminAccountBootstrap"/>) and prints the <see cref="StartupBanner"/> with the address, the account and,
/// on the first start only, its generated password.
/// </summary>
public sealed partial class ReadyBanner(
    AdminAccountBootstrap bootstrap,
    AdminAccounts admins,
    IHostApplicationLifetime lifetime,
    IServer server,
    IOptions<SqliteStorageOptions> storage,
    ILogger<ReadyBanner> logger)
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
            generated = await bootstrap.InitializeAsync();
        }
        catch (Exception ex)
        {
            LogFailed(ex);
            return;
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
        LogReady(StartupBanner.Format(StartupBanner.Browsable(address), admins.Email, generated, storage.Value.DataDirectory));
    }

    // Warning, so the block shows whatever the log levels are (it is printed once per start).
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Banner}")]
    private partial void LogReady(string banner);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not set up the admin account; logins fail until the next start")]
    private partial void LogFailed(Exception exception);
}

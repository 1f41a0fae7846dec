using System.Globalization;
using System.Net.Http.Json;
using Analytics.Silo.Hosting;
using Analytics.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Deploy.Tests.Support;

/// <summary>The embedded host in-process on its own data folder and Orleans ports, with the given settings and extra services.</summary>
public sealed class EmbeddedCacheHost(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<SiloEntryPoint>
{
    private readonly string _data = Directory.CreateTempSubdirectory("analytics-cache-").FullName;

    public async Task RegisterAsync(HttpClient http, string domain) =>
        (await http.PostAsJsonAsync("/api/sites", new { domain, timezone = "Etc/UTC", cookieless = true })).EnsureSuccessStatusCode();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Analytics:Sqlite:DataDirectory", _data);
        builder.UseSetting("Analytics:Orleans:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Analytics:Orleans:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in TestCredentials.Configuration.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)).Concat(settings))
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.Authorize();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Still closing; it is in the temp folder.
        }
    }
}

using System.Globalization;
using System.Net.Http.Json;
using Analytics.Silo.Hosting;
using Analytics.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Analytics.Tests.Functional;

/// <summary>
/// The embedded host in-process (silo, gateway endpoints, dashboard) with its own data folder and ports, started with
/// <see cref="TestCredentials"/>; CreateClient's clients send the test API key.
/// </summary>
public class EmbeddedAppFactory : WebApplicationFactory<SiloEntryPoint>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("analytics-app-").FullName;

    /// <summary>Leave the data folder on disposal, for a test that inspects the files of a stopped host.</summary>
    public bool KeepDataDirectory { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Analytics:Sqlite:DataDirectory", DataDirectory);
        builder.UseSetting("Analytics:Orleans:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Analytics:Orleans:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Analytics:Ingestion:MaxBodyBytes", "4096");
        foreach (var (key, value) in TestCredentials.Configuration)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client without credentials, for what anonymous callers (and browsers, with cookies) get.</summary>
    public HttpClient CreateAnonymousClient(WebApplicationFactoryClientOptions? options = null)
    {
        var http = CreateClient(options ?? new WebApplicationFactoryClientOptions());
        http.DefaultRequestHeaders.Authorization = null;
        return http;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.Authorize();
    }

    /// <summary>Registers the site, or leaves it as an earlier test of the same class registered it (409).</summary>
    public async Task RegisterAsync(string domain, string timezone = "Etc/UTC", bool cookieless = false)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/sites", new { domain, timezone, cookieless });
        if (response.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (KeepDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing is not worth failing the run for; the folder is in the temp dir.
        }
    }
}

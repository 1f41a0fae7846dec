using System.Net.Http.Json;

namespace Analytics.Browser.Tests;

/// <summary>A real embedded Analytics Grid process with one registered site, for the tests that read counts back.</summary>
public sealed class EmbeddedGridFixture : IAsyncLifetime
{
    public const string Site = "npm.test";

    public AnalyticsProcess Grid { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string EventEndpoint => Grid.BaseUrl + "api/event";

    public async Task InitializeAsync()
    {
        Grid = AnalyticsProcess.Embedded(Directory.CreateTempSubdirectory("analytics-browser-tests-").FullName);
        await Grid.StartAsync(TimeSpan.FromSeconds(90));
        Http = Grid.CreateClient();
        (await Http.PostAsJsonAsync("/api/sites", new { domain = Site, timezone = "Etc/UTC" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Grid is not null)
        {
            await Grid.DisposeAsync();
            Directory.Delete(Grid.DataDirectory!, recursive: true);
        }
    }
}

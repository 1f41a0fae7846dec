using System.Globalization;
using System.Net.Http.Json;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using Analytics.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Analytics.Tests.Functional;

/// <summary>
/// Re-aggregation in the embedded profile: the <c>reaggregate</c> command, an Orleans client of the running embedded process,
/// rebuilds a corrupted segment from the SQLite event log (the profile's raw event log) and the numbers are the live ones again.
/// </summary>
public sealed class EmbeddedReaggregationTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("analytics-reagg-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task<string> SnapshotAsync(HttpClient http, string site)
    {
        var totals = await http.QueryAsync(new { site_id = site, metrics = new[] { "visitors", "visits", "pageviews", "bounce_rate", "visit_duration" }, date_range = "day" });
        var pages = await http.QueryAsync(new { site_id = site, metrics = new[] { "visitors", "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } });
        return totals.GetProperty("results").GetRawText() + pages.GetProperty("results").GetRawText();
    }

    [Fact]
    public async Task The_reaggregate_command_restores_a_corrupted_segment_from_the_sqlite_log()
    {
        const string site = "reagg.embedded.test";
        var gatewayPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        await using var embedded = AnalyticsProcess.Embedded(_data, new Dictionary<string, string> { ["Analytics__Orleans__GatewayPort"] = gatewayPort });
        await embedded.StartAsync();
        using var http = embedded.CreateClient();
        (await http.PostAsJsonAsync("/api/sites", new { domain = site })).EnsureSuccessStatusCode();
        for (var i = 0; i < 30; i++)
        {
            var response = await http.PostEventAsync($$"""{"n":"pageview","u":"https://{{site}}/p/{{i % 4}}","d":"{{site}}","v":"visitor{{i % 5}}"}""");
            response.EnsureSuccessStatusCode();
        }

        await http.WaitForPageviewsAsync(site, 30);
        var live = await SnapshotAsync(http, site);

        // A phantom visitor with five pageviews, appended to today's segment behind the log's back.
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(int.Parse(gatewayPort, CultureInfo.InvariantCulture)));
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var now = DateTime.UtcNow;
            const ulong phantom = 4242;
            var session = new SessionRow
            {
                SessionId = 77, Visitor = phantom, Start = now, End = now, Version = 5, EntryPage = "/ghost", ExitPage = "/ghost", Hostname = site,
                Pageviews = 5, Events = 5, Source = "Direct / None", Channel = "Direct", Device = "Desktop", Browser = "Firefox", BrowserVersion = "1",
                Os = "Linux", OsVersion = "1", Country = "DE",
            };
            await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISegmentGrain>(SegmentKey.Of(site, now).ToString()).AppendAsync(
            [
                new SegmentAppend
                {
                    Producer = phantom,
                    Sequence = 1,
                    Events = [.. Enumerable.Range(0, 5).Select(_ => new EventRow { Timestamp = now, Name = EventNames.Pageview, Pathname = "/ghost", Hostname = site, Visitor = phantom, Session = session.SessionId })],
                    Sessions = [session],
                },
            ]);
            await host.StopAsync();
        }

        Assert.NotEqual(live, await SnapshotAsync(http, site));

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var command = ChildProcess.Start("reaggregate", "dotnet",
            [AnalyticsProcess.SiloDll, "reaggregate", "--site", site, "--from", today, "--to", today,
                $"--Analytics:Sqlite:DataDirectory={_data}", $"--Analytics:Orleans:GatewayPort={gatewayPort}"],
            Path.GetDirectoryName(AnalyticsProcess.SiloDll)!, new Dictionary<string, string>());
        var exitCode = await command.ExitedAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, command.Output);
        Assert.Contains("30 events read", command.Output, StringComparison.Ordinal);

        Assert.Equal(live, await SnapshotAsync(http, site));
    }
}

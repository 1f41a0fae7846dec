using System.Net;
using System.Net.Http.Json;
using Analytics.Testing;
using Microsoft.Data.Sqlite;

namespace Analytics.Tests.Functional;

/// <summary>
/// The real embedded process: its numbers survive a restart, a crash loses no acknowledged event, and a crash after the
/// grains counted events but before their lanes were checkpointed replays them without counting them twice.
/// </summary>
public sealed class EmbeddedProcessTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("analytics-process-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task<int> PostEventsAsync(HttpClient http, string site, int count)
    {
        var accepted = 0;
        for (var i = 0; i < count; i++)
        {
            var visitor = $"visitor{i % 7:D4}";
            var response = await http.PostEventAsync($$"""{"n":"pageview","u":"https://{{site}}/page/{{i % 5}}","d":"{{site}}","v":"{{visitor}}"}""");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            accepted++;
        }

        return accepted;
    }

    private static async Task<string> SnapshotAsync(HttpClient http, string site)
    {
        var totals = await http.QueryAsync(new { site_id = site, metrics = new[] { "visitors", "visits", "pageviews", "bounce_rate", "visit_duration" }, date_range = "day" });
        var pages = await http.QueryAsync(new { site_id = site, metrics = new[] { "visitors", "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } });
        return totals.GetProperty("results").GetRawText() + pages.GetProperty("results").GetRawText();
    }

    /// <summary>True once every lane of the embedded log is checkpointed up to its last event.</summary>
    private async Task<bool> LogDrainedAsync()
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "events.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*) FROM (SELECT lane, MAX(seq) AS last FROM events GROUP BY lane) e
            LEFT JOIN checkpoints c ON c.lane = e.lane WHERE c.seq IS NULL OR c.seq < e.last
            """;
        return (long)(await command.ExecuteScalarAsync())! == 0;
    }

    [Fact]
    public async Task Numbers_survive_a_graceful_restart()
    {
        string before;
        await using (var first = AnalyticsProcess.Embedded(_data))
        {
            await first.StartAsync();
            using var http = first.CreateClient();
            (await http.PostAsJsonAsync("/api/sites", new { domain = "restart.test" })).EnsureSuccessStatusCode();
            var posted = await PostEventsAsync(http, "restart.test", 40);
            await http.WaitForPageviewsAsync("restart.test", posted);
            before = await SnapshotAsync(http, "restart.test");
            await first.StopAsync();
        }

        await using var second = AnalyticsProcess.Embedded(_data);
        await second.StartAsync();
        using var again = second.CreateClient();
        Assert.Equal(before, await SnapshotAsync(again, "restart.test"));
        Assert.Contains("\"metrics\":[7,", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_right_after_202_loses_nothing_and_counts_nothing_twice()
    {
        int posted;
        await using (var crashing = AnalyticsProcess.Embedded(_data))
        {
            await crashing.StartAsync();
            using var http = crashing.CreateClient();
            (await http.PostAsJsonAsync("/api/sites", new { domain = "crash.test" })).EnsureSuccessStatusCode();
            posted = await PostEventsAsync(http, "crash.test", 300);
            await crashing.KillAsync();
        }

        await using var recovered = AnalyticsProcess.Embedded(_data);
        await recovered.StartAsync();
        await Poll.UntilAsync(LogDrainedAsync, TimeSpan.FromSeconds(60), "the recovered process to deliver the whole log");
        using var again = recovered.CreateClient();

        var totals = (await again.QueryAsync(new { site_id = "crash.test", metrics = new[] { "visitors", "pageviews" }, date_range = "day" })).Metrics();
        Assert.Equal([7, posted], totals);
        var pages = (await again.QueryAsync(new { site_id = "crash.test", metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } })).Rows();
        Assert.Equal(posted, pages.Values.Sum(v => v[0]));
        Assert.Equal(5, pages.Count);
    }

    [Fact]
    public async Task A_crash_between_delivery_and_checkpoint_replays_the_lanes_and_counts_nothing_twice()
    {
        int posted;
        // The lanes checkpoint at most once an hour: everything delivered in this run is still ahead of its checkpoint.
        await using (var crashing = AnalyticsProcess.Embedded(_data, new Dictionary<string, string> { ["Analytics__EventLog__CheckpointInterval"] = "01:00:00" }))
        {
            await crashing.StartAsync();
            using var http = crashing.CreateClient();
            (await http.PostAsJsonAsync("/api/sites", new { domain = "replay.test" })).EnsureSuccessStatusCode();
            posted = await PostEventsAsync(http, "replay.test", 200);
            await http.WaitForPageviewsAsync("replay.test", posted);
            Assert.False(await LogDrainedAsync(), "the checkpoints should still be behind the delivered events");
            await crashing.KillAsync();
        }

        await using var recovered = AnalyticsProcess.Embedded(_data);
        await recovered.StartAsync();
        await Poll.UntilAsync(LogDrainedAsync, TimeSpan.FromSeconds(60), "the recovered process to replay the whole log");
        using var again = recovered.CreateClient();

        var totals = (await again.QueryAsync(new { site_id = "replay.test", metrics = new[] { "visitors", "visits", "pageviews" }, date_range = "day" })).Metrics();
        Assert.Equal([7, 7, posted], totals);
        var pages = (await again.QueryAsync(new { site_id = "replay.test", metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } })).Rows();
        Assert.Equal(posted, pages.Values.Sum(v => v[0]));
    }

    [Fact]
    public async Task Events_accepted_after_the_event_log_file_was_deleted_are_counted()
    {
        int before;
        await using (var first = AnalyticsProcess.Embedded(_data))
        {
            await first.StartAsync();
            using var http = first.CreateClient();
            (await http.PostAsJsonAsync("/api/sites", new { domain = "fresh-log.test" })).EnsureSuccessStatusCode();
            before = await PostEventsAsync(http, "fresh-log.test", 40);
            await http.WaitForPageviewsAsync("fresh-log.test", before);
            await first.StopAsync();
        }

        // The lanes' checkpoints (lanes.db) and the segments remember the log positions they reached; a new events.db
        // must hand out positions above them, or its events would be taken for ones already counted.
        foreach (var file in Directory.GetFiles(_data, "events.db*"))
        {
            File.Delete(file);
        }

        await using var second = AnalyticsProcess.Embedded(_data);
        await second.StartAsync();
        using var again = second.CreateClient();
        var after = await PostEventsAsync(again, "fresh-log.test", 40);
        Assert.Equal(before + after, await again.WaitForPageviewsAsync("fresh-log.test", before + after));
    }
}

using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Storage;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Privacy;

/// <summary>The embedded log's retention on a real events.db: old and delivered rows go, undelivered ones never do.</summary>
public sealed class EventLogRetentionTests : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromDays(7);
    private static readonly DateTimeOffset Now = new(2026, 3, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-retention-").FullName;
    private SqliteEventLog _log = null!;

    public Task InitializeAsync()
    {
        _log = new SqliteEventLog(
            Options.Create(new SqliteStorageOptions { DataDirectory = _directory }),
            Options.Create(new EventLogOptions { Lanes = 2 }));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Delivered_events_older_than_the_ttl_are_purged_in_batches_and_undelivered_ones_are_kept()
    {
        // Visitors of lane 0 and lane 1: lane 0 is delivered (checkpointed) up to its end, lane 1 not at all.
        var delivered = Enumerable.Range(0, 100).Select(i => $"v{i}").First(v => _log.LaneOf(VisitorKeys.Create("example.com", v)) == 0);
        var pending = Enumerable.Range(0, 100).Select(i => $"v{i}").First(v => _log.LaneOf(VisitorKeys.Create("example.com", v)) == 1);
        foreach (var visitor in new[] { delivered, pending })
        {
            await AppendAsync(visitor, Now - Ttl - TimeSpan.FromDays(1), count: 7); // expired
            await AppendAsync(visitor, Now - TimeSpan.FromDays(1), count: 3);        // within the ttl
        }

        var lane0 = await _log.ReadAsync(0, 0, 1000, CancellationToken.None);
        await _log.WriteCheckpointAsync(0, lane0[^1].Seq, CancellationToken.None);

        var time = new ManualTime(Now);
        var retention = new EventLogRetention(
            _log,
            Options.Create(new RawEventRetentionOptions { Ttl = Ttl, PurgeInterval = TimeSpan.FromMilliseconds(20), PurgeBatchSize = 2 }),
            time,
            NullLogger<EventLogRetention>.Instance);
        await retention.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(() => CountAsync(0), n => n == 3, TimeSpan.FromSeconds(20), "lane 0's expired events purged");
            Assert.Equal(10, await CountAsync(1));
            Assert.All(await _log.ReadAsync(0, 0, 1000, CancellationToken.None), e => Assert.True(EventEnvelope.FromBytes(e.Envelope).ReceivedAt > Now - Ttl));

            // Time passes: the rest of lane 0 expires; lane 1 is old too but still undelivered.
            time.Now = Now + Ttl;
            await Poll.UntilAsync(() => CountAsync(0), n => n == 0, TimeSpan.FromSeconds(20), "lane 0 empty");
            Assert.Equal(10, await CountAsync(1));

            // Lane 1 delivered half-way: exactly the delivered part goes.
            var lane1 = await _log.ReadAsync(1, 0, 1000, CancellationToken.None);
            await _log.WriteCheckpointAsync(1, lane1[4].Seq, CancellationToken.None);
            await Poll.UntilAsync(() => CountAsync(1), n => n == 5, TimeSpan.FromSeconds(20), "lane 1's delivered half purged");
            Assert.Equal(lane1.Skip(5).Select(e => e.Seq), (await _log.ReadAsync(1, 0, 1000, CancellationToken.None)).Select(e => e.Seq));
        }
        finally
        {
            await retention.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Without_a_ttl_nothing_is_purged()
    {
        await AppendAsync("v1", Now - TimeSpan.FromDays(3650), count: 3);
        await _log.WriteCheckpointAsync(_log.LaneOf(VisitorKeys.Create("example.com", "v1")), long.MaxValue, CancellationToken.None);
        var retention = new EventLogRetention(_log, Options.Create(new RawEventRetentionOptions()), new ManualTime(Now), NullLogger<EventLogRetention>.Instance);
        await retention.StartAsync(CancellationToken.None);
        await retention.ExecuteTask!;
        Assert.Equal(3, await CountAsync(0) + await CountAsync(1));
        // Control: the rows were purgeable, so it was the missing ttl that kept them.
        Assert.Equal(3, await retention.PurgeAsync(Now.UtcDateTime - TimeSpan.FromDays(3000), 10, CancellationToken.None));
    }

    private async Task AppendAsync(string visitor, DateTimeOffset receivedAt, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var e = TestEvents.Pageview(visitor, receivedAt.UtcDateTime.AddSeconds(i));
            await _log.AppendAsync(EventEnvelope.For(e, e.Timestamp), CancellationToken.None);
        }
    }

    private async Task<int> CountAsync(int lane) => (await _log.ReadAsync(lane, 0, 10_000, CancellationToken.None)).Count;

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // In the temp folder; not worth failing for.
        }
    }
}

using System.Diagnostics;
using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Storage;
using Analytics.Sqlite.Streams;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Analytics.Tests.Streams;

/// <summary>One lane's receiver on a real events.db, without a silo: what it reads, what it checkpoints, when it wakes.</summary>
public sealed class SqliteQueueAdapterReceiverTests : IAsyncLifetime
{
    private static readonly DateTime Noon = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-stream-").FullName;
    private SqliteEventLog _log = null!;

    public Task InitializeAsync()
    {
        _log = new SqliteEventLog(
            Options.Create(new SqliteStorageOptions { DataDirectory = _directory }),
            Options.Create(new EventLogOptions { Lanes = 1 }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private SqliteQueueAdapterReceiver Receiver(TimeSpan? pollTimeout = null) =>
        new(_log, 0, new SqliteStreamOptions { PollTimeout = pollTimeout ?? TimeSpan.Zero }, TimeProvider.System, NullLoggerFactory.Instance);

    private Task AppendAsync(string visitor, int minute) =>
        _log.AppendAsync(EventEnvelope.For(TestEvents.Pageview(visitor, Noon.AddMinutes(minute), $"/{minute}", "lanes.test"), Noon), CancellationToken.None).AsTask();

    [Fact]
    public async Task A_visitors_rows_of_one_pull_travel_together_and_the_checkpoint_waits_for_every_container()
    {
        await AppendAsync("A", 0);
        await AppendAsync("B", 1);
        await AppendAsync("A", 2);
        var receiver = Receiver();
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);

        var batches = (await receiver.GetQueueMessagesAsync(-1, CancellationToken.None)).Cast<SqliteBatchContainer>().ToList();
        Assert.Equal([VisitorKeys.Create("lanes.test", "A"), VisitorKeys.Create("lanes.test", "B")], batches.Select(b => b.StreamId.GetKeyAsString()));
        Assert.Equal(["/0", "/2"], batches[0].GetEvents<TrackedEvent>().Select(e => e.Item1.Pathname));
        Assert.True(batches[0].SequenceToken.CompareTo(batches[1].SequenceToken) < 0);

        await receiver.MessagesDeliveredAsync([batches[1]], CancellationToken.None);
        Assert.Equal(0, await _log.ReadCheckpointAsync(0, CancellationToken.None));

        await receiver.MessagesDeliveredAsync([batches[0]], CancellationToken.None);
        Assert.Equal(3, await _log.ReadCheckpointAsync(0, CancellationToken.None));
    }

    [Fact]
    public async Task A_new_receiver_reads_again_from_the_checkpoint()
    {
        await AppendAsync("A", 0);
        await AppendAsync("B", 1);
        var crashed = Receiver();
        await crashed.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        var first = await crashed.GetQueueMessagesAsync(-1, CancellationToken.None);
        await crashed.MessagesDeliveredAsync([first[0]], CancellationToken.None);

        // Never shut down: B was read but not delivered, so the next reader gets it again, and only it.
        var next = Receiver();
        await next.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        var again = await next.GetQueueMessagesAsync(-1, CancellationToken.None);
        Assert.Equal([VisitorKeys.Create("lanes.test", "B")], again.Select(b => b.StreamId.GetKeyAsString()));
    }

    [Fact]
    public async Task A_caught_up_lane_wakes_on_the_next_commit_instead_of_its_poll_timeout()
    {
        var receiver = Receiver(pollTimeout: TimeSpan.FromSeconds(10));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Empty(await receiver.GetQueueMessagesAsync(-1, CancellationToken.None));

        var clock = Stopwatch.StartNew();
        var pull = receiver.GetQueueMessagesAsync(-1, CancellationToken.None);
        Assert.False(pull.IsCompleted);
        await AppendAsync("A", 0);
        var batches = await pull;

        Assert.Single(batches);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"woke after {clock.Elapsed}");
    }
}

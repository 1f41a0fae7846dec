using System.Diagnostics;
using System.Diagnostics.Metrics;
using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Storage;
using Analytics.Sqlite.Streams;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Streams;

/// <summary>One lane's receiver on a real events.db, without a silo: what it reads, what it checkpoints, when it wakes.</summary>
public sealed class SqliteQueueAdapterReceiverTests : IAsyncLifetime
{
    private static readonly DateTime Noon = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-stream-").FullName;
    private SqliteEventLog _log = null!;

    // A new log numbers its rows from the clock (SqliteEventLog.StartSequenceAtTheClock); these tests count rows from 1.
    private long _start;

    public Task InitializeAsync()
    {
        _log = new SqliteEventLog(
            Options.Create(new SqliteStorageOptions { DataDirectory = _directory }),
            Options.Create(new EventLogOptions { Lanes = 1 }));
        using var connection = SqliteDatabase.Open(Path.Combine(_directory, "events.db"));
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM sqlite_sequence WHERE name = 'events'";
        _start = (long)command.ExecuteScalar()!;
        Assert.True(_start > 1_700_000_000_000_000, $"a new log starts at the clock's microseconds, not at {_start}");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private SqliteQueueAdapterReceiver Receiver(int batchSize = 2_000, TimeSpan? pollTimeout = null, TimeSpan? linger = null, int readAhead = 2) =>
        new(_log, 0, new SqliteStreamOptions { BatchSize = batchSize, PollTimeout = pollTimeout ?? TimeSpan.Zero, Linger = linger ?? TimeSpan.FromMilliseconds(50), ReadAhead = readAhead },
            TimeProvider.System, NullLoggerFactory.Instance);

    private async Task<SqliteQueueAdapterReceiver> StartedAsync(int batchSize = 2_000, int readAhead = 2)
    {
        var receiver = Receiver(batchSize, readAhead: readAhead);
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        return receiver;
    }

    private Task AppendAsync(string visitor, int minute) =>
        _log.AppendAsync(EventEnvelope.For(TestEvents.Pageview(visitor, Noon.AddMinutes(minute), $"/{minute}", "lanes.test"), Noon), CancellationToken.None).AsTask();

    /// <summary>A row the gateway would never write, inserted beside the log's own writer as another process could.</summary>
    private void AppendUnreadable()
    {
        using var connection = SqliteDatabase.Open(Path.Combine(_directory, "events.db"));
        SqliteDatabase.Execute(connection, "INSERT INTO events (lane, received_at, envelope, site) VALUES (0, 0, CAST('not an envelope' AS BLOB), 'lanes.test')");
    }

    private static async Task<SqliteBatchContainer> PullAsync(SqliteQueueAdapterReceiver receiver) =>
        Assert.IsType<SqliteBatchContainer>(Assert.Single(await receiver.GetQueueMessagesAsync(1, CancellationToken.None)));

    /// <summary>A row's number counted from the log's first (1), or 0 for none.</summary>
    private long Row(long seq) => seq == 0 ? 0 : seq - _start;

    private List<long> Seqs(SqliteBatchContainer batch) => [.. batch.GetEvents<TrackedEvent>().Select(e => Row(e.Item2.SequenceNumber))];

    private async Task<long> CheckpointAsync() => Row(await _log.ReadCheckpointAsync(0, CancellationToken.None));

    [Fact]
    public async Task A_pull_is_one_container_on_the_lane_stream_each_event_with_its_own_row_and_unreadable_rows_skipped_and_counted()
    {
        await AppendAsync("A", 0);
        await AppendAsync("B", 1);
        AppendUnreadable();
        await AppendAsync("A", 2);
        using var skipped = new SkippedRows();
        var receiver = await StartedAsync();

        var batch = await PullAsync(receiver);

        Assert.Equal(StreamId.Create(StreamNames.Lanes, "0"), batch.StreamId);
        Assert.Equal(["/0", "/1", "/2"], batch.GetEvents<TrackedEvent>().Select(e => e.Item1.Pathname));
        Assert.Equal([1L, 2, 4], Seqs(batch));
        Assert.Equal(4, Row(batch.SequenceToken.SequenceNumber));
        Assert.Equal(1, skipped.Count);

        await receiver.MessagesDeliveredAsync([batch], CancellationToken.None);
        Assert.Equal(4, await CheckpointAsync());
        Assert.Empty(await receiver.GetQueueMessagesAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task Pulls_delivered_out_of_order_checkpoint_only_the_delivered_run()
    {
        for (var minute = 0; minute < 5; minute++)
        {
            await AppendAsync($"V{minute}", minute);
        }

        var receiver = await StartedAsync(batchSize: 2, readAhead: 3);
        var pulls = new[] { await PullAsync(receiver), await PullAsync(receiver), await PullAsync(receiver) };
        Assert.Equal(new List<long>[] { [1, 2], [3, 4], [5] }, pulls.Select(Seqs));
        Assert.True(pulls[0].SequenceToken.CompareTo(pulls[1].SequenceToken) < 0);

        await receiver.MessagesDeliveredAsync([pulls[1]], CancellationToken.None);
        await receiver.MessagesDeliveredAsync([pulls[2]], CancellationToken.None);
        Assert.Equal(0, await CheckpointAsync());

        await receiver.MessagesDeliveredAsync([pulls[0]], CancellationToken.None);
        Assert.Equal(5, await CheckpointAsync());
    }

    [Fact]
    public async Task A_lane_reads_no_further_ahead_than_its_read_ahead_until_a_batch_is_delivered()
    {
        for (var minute = 0; minute < 7; minute++)
        {
            await AppendAsync($"V{minute}", minute);
        }

        var receiver = await StartedAsync(batchSize: 2, readAhead: 2);
        var first = await PullAsync(receiver);
        var second = await PullAsync(receiver);
        Assert.Empty(await receiver.GetQueueMessagesAsync(1, CancellationToken.None));
        Assert.Empty(await receiver.GetQueueMessagesAsync(1, CancellationToken.None));

        // A batch reported delivered frees its place, in whatever order: in flight means read and not yet reported.
        await receiver.MessagesDeliveredAsync([second], CancellationToken.None);
        var third = await PullAsync(receiver);
        Assert.Equal([5L, 6], Seqs(third));
        Assert.Empty(await receiver.GetQueueMessagesAsync(1, CancellationToken.None));

        await receiver.MessagesDeliveredAsync([first], CancellationToken.None);
        Assert.Equal(4, await CheckpointAsync());
        Assert.Equal([7L], Seqs(await PullAsync(receiver)));
    }

    [Fact]
    public async Task A_new_receiver_reads_again_from_the_checkpoint()
    {
        await AppendAsync("A", 0);
        await AppendAsync("B", 1);
        await AppendAsync("C", 2);
        var crashed = await StartedAsync(batchSize: 2);
        var first = await PullAsync(crashed);
        await PullAsync(crashed);
        await crashed.MessagesDeliveredAsync([first], CancellationToken.None);

        // Never shut down: the second pull was read but not delivered, so the next reader gets it again, and only it.
        var next = await StartedAsync(batchSize: 2);
        var again = await PullAsync(next);
        Assert.Equal([3L], Seqs(again));
        Assert.Equal(["/2"], again.GetEvents<TrackedEvent>().Select(e => e.Item1.Pathname));
    }

    [Fact]
    public async Task A_lane_of_unreadable_rows_only_checkpoints_past_them()
    {
        AppendUnreadable();
        AppendUnreadable();
        var receiver = await StartedAsync();

        Assert.Empty(await receiver.GetQueueMessagesAsync(1, CancellationToken.None));
        Assert.Equal(2, await CheckpointAsync());
    }

    [Fact]
    public async Task A_caught_up_lane_wakes_on_the_next_commit_instead_of_its_poll_timeout()
    {
        var receiver = Receiver(pollTimeout: TimeSpan.FromSeconds(10));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Empty(await receiver.GetQueueMessagesAsync(1, CancellationToken.None));

        var clock = Stopwatch.StartNew();
        var pull = receiver.GetQueueMessagesAsync(1, CancellationToken.None);
        Assert.False(pull.IsCompleted);
        await AppendAsync("A", 0);
        var batches = await pull;

        Assert.Single(batches);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"woke after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_pull_cancelled_while_it_waits_reads_nothing_without_an_error_and_loses_no_row()
    {
        var receiver = Receiver(pollTimeout: TimeSpan.FromSeconds(30));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Empty(await receiver.GetQueueMessagesAsync(1, CancellationToken.None));

        // What the pulling agent does when it stops: Orleans logged the exception this used to throw as a failed read.
        using var stopping = new CancellationTokenSource();
        var pull = receiver.GetQueueMessagesAsync(1, stopping.Token);
        Assert.False(pull.IsCompleted);
        await stopping.CancelAsync();
        Assert.Empty(await pull);

        await AppendAsync("A", 0);
        Assert.Equal([1L], Seqs(await PullAsync(receiver)));
    }

    [Fact]
    public async Task A_lane_woken_soon_after_its_last_read_gathers_the_commits_of_its_linger_into_one_batch()
    {
        var receiver = Receiver(pollTimeout: TimeSpan.FromSeconds(10), linger: TimeSpan.FromSeconds(3));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        await AppendAsync("A", 0);
        Assert.Equal([1L], Seqs(await PullAsync(receiver)));

        var pull = receiver.GetQueueMessagesAsync(1, CancellationToken.None);
        await AppendAsync("B", 1);
        await AppendAsync("C", 2);
        await AppendAsync("D", 3);
        var batch = Assert.IsType<SqliteBatchContainer>(Assert.Single(await pull));

        Assert.Equal([2L, 3, 4], Seqs(batch));
    }

    [Fact]
    public async Task A_pull_cancelled_while_it_lingers_leaves_the_commit_it_woke_for_to_the_next_pull()
    {
        var receiver = Receiver(pollTimeout: TimeSpan.FromSeconds(10), linger: TimeSpan.FromSeconds(30));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        await AppendAsync("A", 0);
        Assert.Equal([1L], Seqs(await PullAsync(receiver)));

        // Just after a read, so the commit's signal is taken at once and the pull lingers for the commits after it.
        await AppendAsync("B", 1);
        using var stopping = new CancellationTokenSource();
        var pull = receiver.GetQueueMessagesAsync(1, stopping.Token);
        Assert.False(pull.IsCompleted);
        await stopping.CancelAsync();
        Assert.Empty(await pull);

        // No further commit: the row is read anyway, not left until the next one (or the poll timeout, empty-handed).
        var clock = Stopwatch.StartNew();
        Assert.Equal([2L], Seqs(await PullAsync(receiver)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"read after {clock.Elapsed}");
    }

    /// <summary>Counts the receiver's skipped-row counter while it lives.</summary>
    private sealed class SkippedRows : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public SkippedRows()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Analytics.Sqlite.Streams" && instrument.Name == "analytics.sqlite.stream.skipped_rows")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}

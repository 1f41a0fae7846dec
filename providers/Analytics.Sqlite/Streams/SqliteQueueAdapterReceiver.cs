using System.Diagnostics.Metrics;
using Analytics.Abstractions.Streams;
using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.EventLog;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Analytics.Sqlite.Streams;

/// <summary>
/// Reads one lane of the embedded event log for the pulling agent that owns its queue: from the lane's checkpoint, in log
/// order, each pull as one container on the lane's stream, so the agent makes one call to the lane's consumer per pull.
/// The checkpoint is written after the agent reports containers delivered to all consumers, never past an undelivered
/// one, so a crash replays from it and loses nothing. A caught-up lane waits for the log's next commit instead of polling it,
/// and takes the commit's rows from the log's memory (<see cref="SqliteEventLog.ReadLaneAsync"/>).
/// </summary>
public sealed partial class SqliteQueueAdapterReceiver : IQueueAdapterReceiver
{
    private static readonly Meter Meter = new("Analytics.Sqlite.Streams");
    private static readonly Counter<long> SkippedCounter =
        Meter.CreateCounter<long>("analytics.sqlite.stream.skipped_rows", description: "Event log rows the stream could not read.");

    private readonly SqliteEventLog _log;
    private readonly int _lane;
    private readonly SqliteStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // The agent does not overlap its calls, but a shutdown may race a read.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _appended = new(0, 1);
    private PullCheckpoint? _checkpoint;
    // Every row of the lane at or below it has been read; at or past the checkpoint's last read row.
    private long _readUpTo;
    private long _lastWrite;
    private long _lastRead;
    private bool _backlog = true;
    private bool _shutDown;

    public SqliteQueueAdapterReceiver(SqliteEventLog log, int lane, SqliteStreamOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _log = log;
        _lane = lane;
        _options = options;
        _time = time;
        _logger = loggerFactory.CreateLogger<SqliteQueueAdapterReceiver>();
    }

    public Task Initialize(TimeSpan timeout) => Initialize(timeout, CancellationToken.None);

    public async Task Initialize(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _log.Appended += OnAppended;
            await StartAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        try
        {
            // Wait outside the gate, so a delivery report is never held up by an idle lane.
            if (!_backlog)
            {
                if (!_appended.Wait(0) && !await _appended.WaitAsync(_options.PollTimeout, cancellationToken))
                {
                    return [];
                }

                // Woken by a commit soon after the last read: the next commits join this batch.
                var linger = _options.Linger - _time.GetElapsedTime(_lastRead);
                if (linger > TimeSpan.Zero)
                {
                    await Task.Delay(linger, _time, cancellationToken);
                }
            }

            await _gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent stopping cancels the pull it is waiting in: it read nothing, which is no error to log. A commit's
            // signal it took while lingering is spent, so the next pull reads without waiting for another.
            _backlog = true;
            return [];
        }

        try
        {
            if (_shutDown)
            {
                return [];
            }

            // The agent keeps pulling after a failed Initialize, so start late.
            var checkpoint = _checkpoint ?? await StartAsync(cancellationToken);
            if (checkpoint.InFlight >= _options.ReadAhead)
            {
                // Read again at the next pull without waiting for a commit: one may have been taken by this pull already.
                _backlog = true;
                return [];
            }

            // maxCount counts the containers the agent's cache can take; a pull is at most one.
            var read = await _log.ReadLaneAsync(_lane, _readUpTo, _options.BatchSize, cancellationToken);
            var rows = read.Rows;
            _readUpTo = read.ReadUpTo;
            _lastRead = _time.GetTimestamp();
            _backlog = rows.Count == _options.BatchSize;
            if (rows.Count == 0)
            {
                return [];
            }

            var batch = ToContainer(rows);
            checkpoint.Read(batch.LastSeq);
            if (batch.Events.Length == 0)
            {
                // Rows that were all skipped are never reported delivered, so a lane of nothing else checkpoints here.
                checkpoint.Done(batch.LastSeq);
            }

            await CheckpointAsync(checkpoint, cancellationToken);
            return batch.Events.Length == 0 ? [] : [batch];
        }
        finally
        {
            _gate.Release();
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_checkpoint is not { } checkpoint)
            {
                return;
            }

            foreach (var message in messages)
            {
                if (message is SqliteBatchContainer container)
                {
                    checkpoint.Done(container.LastSeq);
                }
            }

            await CheckpointAsync(checkpoint, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task Shutdown(TimeSpan timeout) => Shutdown(timeout, CancellationToken.None);

    public async Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _log.Appended -= OnAppended;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _shutDown = true;
            if (_checkpoint is { } checkpoint)
            {
                // Whatever the interval: a graceful stop replays nothing.
                await CheckpointAsync(checkpoint, cancellationToken, force: true);
                LogReleased(_lane, checkpoint.InFlight);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<PullCheckpoint> StartAsync(CancellationToken cancellationToken)
    {
        var committed = await _log.ReadCheckpointAsync(_lane, cancellationToken);
        _checkpoint = new PullCheckpoint(committed);
        _readUpTo = committed;
        _lastWrite = _time.GetTimestamp();
        LogAssigned(_lane, committed);
        return _checkpoint;
    }

    /// <summary>The pull's readable rows in one container on the lane's stream, each event with its own row sequence.</summary>
    private SqliteBatchContainer ToContainer(IReadOnlyList<LogRow> rows)
    {
        var events = new List<TrackedEvent>(rows.Count);
        var seqs = new List<long>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Event is { } tracked)
            {
                events.Add(tracked);
                seqs.Add(row.Seq);
            }
            else
            {
                // Unreadable: skipped, so it never wedges the lane; the checkpoint passes it with its pull.
                SkippedCounter.Add(1);
                LogSkipped(row.Error!, _lane, row.Seq);
            }
        }

        return new SqliteBatchContainer(StreamId.Create(StreamNames.Lanes, LaneStreams.Key(_lane)), [.. events], [.. seqs], new EventSequenceTokenV2(rows[^1].Seq));
    }

    private async Task CheckpointAsync(PullCheckpoint checkpoint, CancellationToken cancellationToken, bool force = false)
    {
        if (checkpoint.PendingCommit is not { } seq || (!force && _time.GetElapsedTime(_lastWrite) < _options.CheckpointInterval))
        {
            return;
        }

        try
        {
            await _log.WriteCheckpointAsync(_lane, seq, cancellationToken);
            checkpoint.Committed(seq);
            _lastWrite = _time.GetTimestamp();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Kept pending: the next delivery report or pull retries it, and a restart re-reads at worst.
            LogCheckpointFailed(ex, _lane, seq);
        }
    }

    private void OnAppended()
    {
        if (_appended.CurrentCount == 0)
        {
            try
            {
                _appended.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a concurrent commit.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading event log lane {Lane} after {Checkpoint}")]
    private partial void LogAssigned(int lane, long checkpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released event log lane {Lane} with {InFlight} batches not yet delivered")]
    private partial void LogReleased(int lane, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping unreadable event log row {Lane}@{Seq}")]
    private partial void LogSkipped(Exception error, int lane, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the checkpoint of event log lane {Lane} at {Seq} failed")]
    private partial void LogCheckpointFailed(Exception error, int lane, long seq);
}

using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Sessions;
using Microsoft.Extensions.Options;
using Analytics.Sqlite.EventLog;

namespace Analytics.Silo.EventLog;

/// <summary>
/// Delivers the embedded log to the visitor grains, lane by lane, in order, and checkpoints a lane only after every
/// visitor in the round confirmed. A crash replays from the checkpoint; the grains' per-event idempotence makes the
/// replay count nothing twice.
/// </summary>
public sealed partial class EventLogPump(
    SqliteEventLog log,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    IOptions<EventLogOptions> options,
    ILogger<EventLogPump> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls need the silo up; it is, once the host says it started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var wakeUps = Enumerable.Range(0, log.Lanes).Select(_ => new SemaphoreSlim(0, 1)).ToArray();
        void Wake()
        {
            foreach (var wake in wakeUps)
            {
                if (wake.CurrentCount == 0)
                {
                    try
                    {
                        wake.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                        // Already signalled by a concurrent commit.
                    }
                }
            }
        }

        log.Appended += Wake;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, log.Lanes).Select(lane => RunLaneAsync(lane, wakeUps[lane], stoppingToken)));
        }
        finally
        {
            log.Appended -= Wake;
        }
    }

    private async Task RunLaneAsync(int lane, SemaphoreSlim wakeUp, CancellationToken stoppingToken)
    {
        var checkpoint = await log.ReadCheckpointAsync(lane, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await log.ReadAsync(lane, checkpoint, options.Value.BatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    // The timeout only guards against a lost wake-up; commits signal every lane.
                    await wakeUp.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }

                await DeliverAsync(batch.Select(b => b.Envelope.Event));
                checkpoint = batch[^1].Seq;
                await log.WriteCheckpointAsync(lane, checkpoint, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(lane, checkpoint, ex);
                await Task.Delay(options.Value.RetryDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private Task DeliverAsync(IEnumerable<TrackedEvent> events) =>
        Task.WhenAll(events
            .GroupBy(e => e.VisitorKey, StringComparer.Ordinal)
            .Select(visitor => grains.GetGrain<IVisitorGrain>(visitor.Key).TrackAsync([.. visitor])));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log lane {Lane}: delivery after {Checkpoint} failed; retrying")]
    private partial void LogRoundFailed(int lane, long checkpoint, Exception ex);
}

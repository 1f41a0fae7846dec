using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.EventLog;

namespace Analytics.Testing;

/// <summary>
/// The embedded way in for tests that drive the grains without HTTP: events go into the event log as the gateway puts them
/// (received at their own time), and the SQLite stream delivers them; done once every lane is checkpointed past its last
/// row, which the stream writes only after the lanes have the events durably.
/// </summary>
public static class EventLogDelivery
{
    public static async Task DeliverAsync(this SqliteEventLog log, IEnumerable<TrackedEvent> events, TimeSpan? timeout = null)
    {
        // Appends enter the log's queue in this order (the queue is unbounded), so each visitor's events keep theirs.
        await Task.WhenAll(events.Select(e => log.AppendAsync(EventEnvelope.For(e, e.Timestamp), CancellationToken.None).AsTask()));
        await Poll.UntilAsync(() => DrainedAsync(log), timeout ?? TimeSpan.FromSeconds(60), "the stream to deliver the appended events");
    }

    /// <summary>True once no lane has a row after its checkpoint.</summary>
    public static async Task<bool> DrainedAsync(this SqliteEventLog log)
    {
        for (var lane = 0; lane < log.Lanes; lane++)
        {
            var checkpoint = await log.ReadCheckpointAsync(lane, CancellationToken.None);
            if ((await log.ReadAsync(lane, checkpoint, 1, CancellationToken.None)).Count > 0)
            {
                return false;
            }
        }

        return true;
    }
}

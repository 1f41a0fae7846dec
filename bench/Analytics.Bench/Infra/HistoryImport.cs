using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Storage;
using Microsoft.Extensions.Options;

namespace Analytics.Bench.Infra;

/// <summary>
/// Bench-only history import: enriched events with historical timestamps are appended to the embedded profile's
/// durable event log (the silo's own <see cref="SqliteEventLog"/> class, same file, same envelope format) while the
/// silo is stopped. When the silo starts, its SQLite stream provider delivers them to the real lanes, which sessionize
/// them and append to the segments exactly as for live beacons. Nothing in the product changes.
/// </summary>
public static class HistoryImport
{
    public static async Task<int> AppendAsync(string dataDirectory, IReadOnlyList<TrackedEvent> events)
    {
        var log = new SqliteEventLog(
            Options.Create(new SqliteStorageOptions { DataDirectory = dataDirectory }),
            Options.Create(new EventLogOptions { MaxAppendBatch = 5000 }));
        await using (log)
        {
            // Many appends in flight so the log's group commit writes thousands per transaction.
            const int window = 5000;
            for (var i = 0; i < events.Count; i += window)
            {
                var tasks = new List<Task>(window);
                for (var j = i; j < Math.Min(events.Count, i + window); j++)
                {
                    tasks.Add(log.AppendAsync(EventEnvelope.For(events[j], events[j].Timestamp), CancellationToken.None).AsTask());
                }

                await Task.WhenAll(tasks);
            }
        }

        return events.Count;
    }

    /// <summary>Closed loop straight into the log: <paramref name="workers"/> appenders, each awaiting its commit.</summary>
    public static async Task<LoadResult> AppendClosedLoopAsync(string dataDirectory, IReadOnlyList<TrackedEvent> events, int workers, TimeSpan duration)
    {
        var log = new SqliteEventLog(
            Options.Create(new SqliteStorageOptions { DataDirectory = dataDirectory }),
            Options.Create(new EventLogOptions()));
        await using (log)
        {
            var histogram = new HdrHistogram.LongConcurrentHistogram(1, 60_000_000, 3);
            long accepted = 0;
            var next = -1L;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                while (sw.Elapsed < duration)
                {
                    var e = events[(int)(Interlocked.Increment(ref next) % events.Count)];
                    var start = System.Diagnostics.Stopwatch.GetTimestamp();
                    await log.AppendAsync(EventEnvelope.For(e with { Id = Guid.CreateVersion7() }, DateTime.UtcNow), CancellationToken.None);
                    histogram.RecordValue(Math.Max(1, (long)System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds));
                    Interlocked.Increment(ref accepted);
                }
            })));
            return new LoadResult(accepted, 0, sw.Elapsed, histogram);
        }
    }
}

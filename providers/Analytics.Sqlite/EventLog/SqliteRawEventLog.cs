using System.Runtime.CompilerServices;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains.EventLog;

namespace Analytics.Sqlite.EventLog;

/// <summary>
/// The embedded profile's <see cref="IRawEventLog"/>: the SQLite event log itself, which holds every event before a grain
/// sees it, so appending has nothing to do. Reads come back in log order, the order the grains sessionized them in.
/// </summary>
public sealed class SqliteRawEventLog(SqliteEventLog log) : IRawEventLog
{
    /// <summary>
    /// How much earlier than its receipt an event may be stamped (GA4's Measurement Protocol accepts 72 hours), with a margin;
    /// the log is read by receipt time, so a range of timestamps is read from this much later.
    /// </summary>
    public static readonly TimeSpan MaxBackdating = TimeSpan.FromHours(96);

    /// <summary>How much later than its receipt an event may be stamped (a sender's clock running ahead).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromDays(1);

    public Task AppendAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async IAsyncEnumerable<TrackedEvent> ReadRangeAsync(string site, DateTime fromUtc, DateTime toUtc, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in log.ReadSiteAsync(site, fromUtc - MaxClockSkew, toUtc + MaxBackdating, cancellationToken))
        {
            if (e.Timestamp >= fromUtc && e.Timestamp < toUtc)
            {
                yield return e;
            }
        }
    }
}

using Analytics.GrainInterfaces.Events;

namespace Analytics.Grains.EventLog;

/// <summary>
/// The archive of every accepted event, kept beside the aggregates so that segments can be rebuilt from it
/// (<see cref="Reaggregation.Reaggregator"/>). Every profile registers one: a lane (<c>LaneGrain</c>) appends each batch before it counts it, so
/// "counted" always implies "archived". The cluster profile's is Cassandra; the embedded profile's reads the SQLite
/// event log, which already holds every event before the grains see it, so its append has nothing to do.
/// </summary>
public interface IRawEventLog
{
    /// <summary>Completes when every event is durably stored; an event appended again (a redelivery) is still read back once.</summary>
    Task AppendAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// The site's events with <paramref name="fromUtc"/> ≤ timestamp &lt; <paramref name="toUtc"/>, in time order or in the
    /// order they were received (each replays the visitors' sessions as they were built).
    /// </summary>
    IAsyncEnumerable<TrackedEvent> ReadRangeAsync(string site, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default);
}

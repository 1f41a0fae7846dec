using Analytics.GrainInterfaces.Events;
using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Privacy;

/// <summary>
/// Reads a site's raw events out of the silo's raw event log (embedded: events.db; cluster: Cassandra), so that a
/// gateway without access to that store can stream them. One activation per export (a fresh key, nothing kept): every
/// call of an enumeration must reach the activation holding its enumerator, which a stateless worker does not promise.
/// </summary>
[Alias("IRawEventExportGrain")]
public interface IRawEventExportGrain : IGrainWithGuidKey
{
    /// <summary>Events of <paramref name="site"/> with <paramref name="fromUtc"/> ≤ time &lt; <paramref name="toUtc"/>, streamed in batches.</summary>
    [Alias("Read"), ReadOnly]
    IAsyncEnumerable<TrackedEvent> ReadAsync(string site, DateTime fromUtc, DateTime toUtc);
}

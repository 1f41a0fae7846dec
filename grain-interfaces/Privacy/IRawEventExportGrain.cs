using Analytics.GrainInterfaces.Events;
using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Privacy;

/// <summary>
/// Reads a site's raw events out of the silo's raw event log (embedded: events.db; cluster: Cassandra), so that a
/// gateway without access to that store can stream them. A stateless worker: any silo answers, nothing is kept.
/// </summary>
[Alias("IRawEventExportGrain")]
public interface IRawEventExportGrain : IGrainWithIntegerKey
{
    /// <summary>Events of <paramref name="site"/> with <paramref name="fromUtc"/> ≤ time &lt; <paramref name="toUtc"/>, streamed in batches.</summary>
    [Alias("Read"), ReadOnly]
    IAsyncEnumerable<TrackedEvent> ReadAsync(string site, DateTime fromUtc, DateTime toUtc);
}

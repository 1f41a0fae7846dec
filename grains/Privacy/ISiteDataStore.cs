using Analytics.GrainInterfaces.Events;

namespace Analytics.Grains.Privacy;

/// <summary>
/// What the silo's storage (embedded: SQLite files; cluster: Cassandra tables) offers for a site's data as a whole:
/// reading its raw events back for export, and erasing everything stored about it.
/// </summary>
public interface ISiteDataStore
{
    /// <summary>The site's raw events with <paramref name="fromUtc"/> ≤ time &lt; <paramref name="toUtc"/>, streamed.</summary>
    IAsyncEnumerable<TrackedEvent> ReadRawEventsAsync(string site, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the state of every grain keyed "site|…" (visitors), of the grains in <paramref name="exact"/>
    /// (the site grain), the site's raw events and its segments (<c>ISegmentStore.DeleteSiteAsync</c>). Callers deactivate the grains first so none writes back.
    /// </summary>
    Task EraseAsync(string site, IReadOnlyList<GrainId> exact, CancellationToken cancellationToken);
}

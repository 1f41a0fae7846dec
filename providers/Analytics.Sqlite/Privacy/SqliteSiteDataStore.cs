using Analytics.Abstractions.Lanes;
using Analytics.Abstractions.Segments;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains.Privacy;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Storage;

namespace Analytics.Sqlite.Privacy;

/// <summary>
/// The embedded profile's site data: grain state in grains.db, raw events in the event log (events.db), segments in the
/// segment store (segments.db), the lanes' open sessions in the lane store (lanes.db).
/// </summary>
public sealed class SqliteSiteDataStore(SqliteGrainStorage grainStorage, SqliteEventLog eventLog, ISegmentStore segments, ILaneStateStore lanes) : ISiteDataStore
{
    public IAsyncEnumerable<TrackedEvent> ReadRawEventsAsync(string site, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken) =>
        eventLog.ReadSiteAsync(site, fromUtc, toUtc, cancellationToken);

    public async Task EraseAsync(string site, IReadOnlyList<GrainId> exact, CancellationToken cancellationToken)
    {
        await eventLog.DeleteSiteAsync(site, cancellationToken);
        await eventLog.CheckpointAsync(cancellationToken);
        await grainStorage.EraseSiteAsync(site, exact);
        await segments.DeleteSiteAsync(site, cancellationToken);
        await lanes.DeleteSiteAsync(site, cancellationToken);
    }
}

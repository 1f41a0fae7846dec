using Analytics.Abstractions.Lanes;
using Analytics.Abstractions.Segments;
using Analytics.Cassandra.EventLog;
using Analytics.Cassandra.Storage;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains.Privacy;

namespace Analytics.Cassandra.Privacy;

/// <summary>
/// The cluster profile's site data: grain state in Cassandra (found through the storage's per-site index) and the raw
/// event log, whose partitions are (site, UTC day), the segments (found through their store's per-site index) and the lanes' open sessions.
/// </summary>
public sealed class CassandraSiteDataStore(CassandraGrainStorage grainStorage, CassandraRawEventLog rawLog, ISegmentStore segments, ILaneStateStore lanes) : ISiteDataStore
{
    /// <summary>UTC days erased around the site's first and last segment: sessions reach past midnight, imports are late.</summary>
    public const int DayMargin = 2;

    public IAsyncEnumerable<TrackedEvent> ReadRawEventsAsync(string site, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken) =>
        rawLog.ReadRangeAsync(site, fromUtc, toUtc, cancellationToken);

    public async Task EraseAsync(string site, IReadOnlyList<GrainId> exact, CancellationToken cancellationToken)
    {
        // The segments' days tell where the raw events lie; read before the segments go.
        var days = await segments.ListDaysAsync(site, cancellationToken);
        await grainStorage.EraseSiteAsync(site, exact, cancellationToken);
        await rawLog.DeleteDaysAsync(site, RawLogDays(days), cancellationToken);
        await segments.DeleteSiteAsync(site, cancellationToken);
        await lanes.DeleteSiteAsync(site, cancellationToken);
    }

    /// <summary>
    /// The raw log partitions (UTC days) that can hold the site's events: every counted event lies in its segment's day
    /// or the next (a segment holds the sessions that started on its UTC day); the span of the segments, with a margin.
    /// </summary>
    public static IEnumerable<DateOnly> RawLogDays(IReadOnlyCollection<DateOnly> days)
    {
        if (days.Count == 0)
        {
            return [];
        }

        var first = days.Min().AddDays(-DayMargin);
        var last = days.Max().AddDays(DayMargin);
        return Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays);
    }
}

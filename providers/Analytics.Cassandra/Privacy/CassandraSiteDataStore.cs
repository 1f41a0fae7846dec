using Analytics.Abstractions.Segments;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;
using Analytics.Grains.Privacy;
using Analytics.Cassandra.EventLog;
using Analytics.Cassandra.Storage;

namespace Analytics.Cassandra.Privacy;

/// <summary>
/// The cluster profile's site data: grain state in Cassandra (found through the storage's per-site index) and the raw
/// event log, whose partitions are (site, UTC day), and the segments (found through their store's per-site index).
/// </summary>
public sealed class CassandraSiteDataStore(CassandraGrainStorage grainStorage, CassandraRawEventLog rawLog, ISegmentStore segments) : ISiteDataStore
{
    /// <summary>UTC days erased around the site's first and last day bucket: sessions and time zones reach across days.</summary>
    public const int DayMargin = 2;

    public IAsyncEnumerable<TrackedEvent> ReadRawEventsAsync(string site, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken) =>
        rawLog.ReadRangeAsync(site, fromUtc, toUtc, cancellationToken);

    public async Task EraseAsync(string site, IReadOnlyList<GrainId> exact, CancellationToken cancellationToken)
    {
        var segmentDays = await segments.ListDaysAsync(site, cancellationToken);
        var erased = await grainStorage.EraseSiteAsync(site, exact, cancellationToken);
        // A segment's events lie on its UTC day and the next (SegmentKey.SessionCutoff), so its days reach the raw log's too.
        var rawDays = RawLogDays(erased).Union(segmentDays.SelectMany(day => new[] { day, day.AddDays(1) }));
        await rawLog.DeleteDaysAsync(site, rawDays, cancellationToken);
        await segments.DeleteSiteAsync(site, cancellationToken);
    }

    /// <summary>
    /// The raw log partitions (UTC days) that can hold the site's events: every counted event has a local day bucket,
    /// so its UTC day lies within a day of that bucket; the span from the first to the last bucket, with a margin.
    /// </summary>
    public static IEnumerable<DateOnly> RawLogDays(IEnumerable<string> grainKeys)
    {
        var days = grainKeys
            .Where(k => k.Contains("|d|", StringComparison.Ordinal))
            .Select(k => BucketKey.Parse(k).LocalDay)
            .ToList();
        if (days.Count == 0)
        {
            return [];
        }

        var first = days.Min().AddDays(-DayMargin);
        var last = days.Max().AddDays(DayMargin);
        return Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays);
    }
}

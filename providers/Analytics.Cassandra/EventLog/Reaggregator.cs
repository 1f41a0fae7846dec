using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Cassandra.EventLog;

/// <summary>What one re-aggregation did.</summary>
public sealed record ReaggregationResult(string Site, DateOnly From, DateOnly To, long EventsRead, int BucketsWritten, int BucketsWithData, TimeSpan Elapsed);

/// <summary>
/// Rebuilds a site's minute, hour and day buckets for local days <c>from..to</c> from the raw event log:
/// reads the events of the range plus a margin on both sides (sessions that started before the range, and later events
/// that lengthen sessions started inside it), replays them through <see cref="BucketRebuilder"/>, and hands every bucket
/// of the range its rebuilt state through <see cref="IMetricBucketRebuildGrain"/>: every day and hour bucket, empty ones
/// too (a bucket the log knows nothing about is reset), and the minute buckets with events (all minutes on request).
/// Buckets outside the range are left alone.
/// </summary>
public sealed class Reaggregator(CassandraRawEventLog log, IGrainFactory grains, int breakdownCapacity, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Events read before and after the range to rebuild sessions crossing its edges.</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Bucket grains rebuilt concurrently.</summary>
    public int Parallelism { get; init; } = 32;

    /// <summary>
    /// Also reset the minute buckets of the range that the log has no events for. Off by default: minute buckets only
    /// serve the realtime view (the last minutes), and visiting every empty minute of a month is 44,640 grain activations.
    /// Minute buckets with events in the log are always rebuilt.
    /// </summary>
    public bool IncludeEmptyMinutes { get; init; }

    public async Task<ReaggregationResult> RunAsync(string site, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(site);
        if (to < from)
        {
            throw new ArgumentException($"The range ends ({to}) before it starts ({from}).");
        }
        var started = DateTime.UtcNow;
        var settings = await grains.GetGrain<ISiteGrain>(site).GetSettingsAsync().ConfigureAwait(false);
        var zone = TimeZones.Find(settings?.Timezone ?? "Etc/UTC");
        var (fromUtc, toUtc) = CassandraRawEventLog.UtcRangeOf(from, to, zone);

        var rebuilder = new BucketRebuilder(breakdownCapacity);
        await foreach (var e in log.ReadRangeAsync(site, fromUtc - Margin, toUtc + Margin, cancellationToken).ConfigureAwait(false))
        {
            rebuilder.Add(e);
        }

        var keys = BucketsOf(site, from, to, fromUtc, toUtc, IncludeEmptyMinutes);
        if (!IncludeEmptyMinutes)
        {
            keys.AddRange(rebuilder.Buckets.Keys
                .Where(k => k.Granularity == Granularity.Minute && k.Start >= fromUtc && k.Start < toUtc)
                .OrderBy(k => k.Start));
        }
        var withData = keys.Count(rebuilder.Buckets.ContainsKey);
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (key, _) => await grains.GetGrain<IMetricBucketRebuildGrain>(key.ToString()).RebuildAsync(rebuilder.StateOf(key)).ConfigureAwait(false))
            .ConfigureAwait(false);

        var result = new ReaggregationResult(site, from, to, rebuilder.Events, keys.Count, withData, DateTime.UtcNow - started);
        _logger.LogInformation("Re-aggregated {Site} {From}..{To}: {Events} events, {Buckets} buckets ({WithData} with data) in {Elapsed}",
            site, from, to, result.EventsRead, result.BucketsWritten, withData, result.Elapsed);
        return result;
    }

    /// <summary>The local days of the range, the UTC hours overlapping it and (optionally) all its UTC minutes.</summary>
    public static List<BucketKey> BucketsOf(string site, DateOnly from, DateOnly to, DateTime fromUtc, DateTime toUtc, bool includeMinutes)
    {
        var keys = new List<BucketKey>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            keys.Add(BucketKey.Day(site, day));
        }
        for (var hour = BucketKey.Hour(site, fromUtc).Start; hour < toUtc; hour = hour.AddHours(1))
        {
            keys.Add(BucketKey.Hour(site, hour));
        }
        if (includeMinutes)
        {
            for (var minute = BucketKey.Minute(site, fromUtc).Start; minute < toUtc; minute = minute.AddMinutes(1))
            {
                keys.Add(BucketKey.Minute(site, minute));
            }
        }
        return keys;
    }
}

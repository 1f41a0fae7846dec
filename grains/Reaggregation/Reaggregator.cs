using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.EventLog;
using Analytics.Grains.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Grains.Reaggregation;

/// <summary>What one re-aggregation did.</summary>
public sealed record ReaggregationResult(string Site, DateOnly From, DateOnly To, long EventsRead, int SegmentsWritten, int SegmentsWithData, TimeSpan Elapsed);

/// <summary>
/// Rebuilds a site's segments for local days <c>from..to</c> from the raw event log: every UTC day those days touch
/// (a segment is a UTC day of session starts). Reads the events of those days plus a margin before them (sessions
/// running into the first day warm up the visitors' states; they belong to a segment outside the range) up to the
/// last day's latest event, re-sessionizes them with <see cref="SegmentRebuilder"/>, and hands every segment of the range
/// its rows through <see cref="ISegmentGrain.RebuildAsync"/> (a segment the log knows nothing about is emptied).
/// Segments outside the range are left alone.
/// </summary>
public sealed class Reaggregator(IRawEventLog log, IGrainFactory grains, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Events read before the range to rebuild the visitors' sessions crossing its start.</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Segment grains rebuilt concurrently.</summary>
    public int Parallelism { get; init; } = 8;

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
        var (fromUtc, toUtc) = UtcRangeOf(from, to, zone);
        var segments = SegmentsOf(site, fromUtc, toUtc);

        var rebuilder = new SegmentRebuilder();
        await foreach (var e in log.ReadRangeAsync(site, segments[0].StartUtc - Margin, segments[^1].LatestEventUtc, cancellationToken).ConfigureAwait(false))
        {
            rebuilder.Add(e);
        }

        var withData = segments.Count(s => rebuilder.AppendsOf(s).Count > 0);
        await Parallel.ForEachAsync(segments, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (segment, _) => await grains.GetGrain<ISegmentGrain>(segment.ToString()).RebuildAsync(rebuilder.AppendsOf(segment)).ConfigureAwait(false))
            .ConfigureAwait(false);

        var result = new ReaggregationResult(site, from, to, rebuilder.Events, segments.Count, withData, DateTime.UtcNow - started);
        _logger.LogInformation("Re-aggregated {Site} {From}..{To}: {Events} events, {Segments} segments ({WithData} with data) in {Elapsed}",
            site, from, to, result.EventsRead, result.SegmentsWritten, withData, result.Elapsed);
        return result;
    }

    /// <summary>The UTC instants bounding local days <paramref name="from"/>..<paramref name="to"/> (inclusive) in <paramref name="zone"/>.</summary>
    public static (DateTime FromUtc, DateTime ToUtc) UtcRangeOf(DateOnly from, DateOnly to, TimeZoneInfo zone) => (
        TimeZoneInfo.ConvertTimeToUtc(from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone),
        TimeZoneInfo.ConvertTimeToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone));

    /// <summary>The segments (UTC days) whose day overlaps [fromUtc, toUtc).</summary>
    public static List<SegmentKey> SegmentsOf(string site, DateTime fromUtc, DateTime toUtc)
    {
        var keys = new List<SegmentKey>();
        for (var day = DateOnly.FromDateTime(fromUtc); day <= DateOnly.FromDateTime(toUtc.AddTicks(-1)); day = day.AddDays(1))
        {
            keys.Add(new SegmentKey(site, day));
        }
        return keys;
    }
}

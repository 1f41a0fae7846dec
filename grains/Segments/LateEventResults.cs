using Analytics.Abstractions.Caching;
using Analytics.GrainInterfaces.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Grains.Segments;

/// <summary>
/// Drops a site's cached query results when its segments take an event of a period the cache may already hold as closed
/// (imports, GA4's timestamp_micros, delivery after an outage): a closed range ends at least
/// <see cref="HotCacheOptions.ClosedAfter"/> ago, so only an event older than that can change a cached answer. Without
/// this, such events stayed out of the answers for <see cref="HotCacheOptions.ClosedResultTtl"/>.
/// </summary>
public sealed partial class LateEventResults(IHotCache cache, IOptions<HotCacheOptions> options, TimeProvider time, ILogger<LateEventResults> logger)
{
    /// <summary>
    /// Called once <paramref name="applied"/> is durable, so a query after the drop reads it. A cache that cannot drop
    /// them (down, too slow) never fails the append: the events are counted, and the stale results expire with their TTL.
    /// </summary>
    public async ValueTask AfterAppendAsync(string site, IReadOnlyList<SegmentAppend> applied)
    {
        var settings = options.Value;
        var closedBefore = time.GetUtcNow().UtcDateTime - settings.ClosedAfter;
        if (!applied.Any(a => a.Events.Any(e => e.Timestamp < closedBefore)))
        {
            return;
        }

        try
        {
            await cache.RemoveByPrefixAsync(QueryResultKeys.SitePrefix(settings.KeyPrefix, site));
        }
        catch (Exception ex)
        {
            LogDropFailed(ex, site);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not drop the cached results of {Site} after a late event; they expire with their TTL")]
    private partial void LogDropFailed(Exception ex, string site);
}

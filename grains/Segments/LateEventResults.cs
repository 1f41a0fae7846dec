using Analytics.Abstractions.Caching;
using Analytics.GrainInterfaces.Segments;
using Microsoft.Extensions.Options;

namespace Analytics.Grains.Segments;

/// <summary>
/// Drops a site's cached query results when its segments take an event of a period the cache may already hold as closed
/// (imports, GA4's timestamp_micros, delivery after an outage): a closed range ends at least
/// <see cref="HotCacheOptions.ClosedAfter"/> ago, so only an event older than that can change a cached answer. Without
/// this, such events stayed out of the answers for <see cref="HotCacheOptions.ClosedResultTtl"/>.
/// </summary>
public sealed class LateEventResults(IHotCache cache, IOptions<HotCacheOptions> options, TimeProvider time)
{
    /// <summary>Called once <paramref name="applied"/> is durable, so a query after the drop reads it.</summary>
    public ValueTask AfterAppendAsync(string site, IReadOnlyList<SegmentAppend> applied)
    {
        var settings = options.Value;
        var closedBefore = time.GetUtcNow().UtcDateTime - settings.ClosedAfter;
        return applied.Any(a => a.Events.Any(e => e.Timestamp < closedBefore))
            ? cache.RemoveByPrefixAsync(QueryResultKeys.SitePrefix(settings.KeyPrefix, site))
            : ValueTask.CompletedTask;
    }
}

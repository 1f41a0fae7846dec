using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Abstractions.Caching;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Caching;

/// <summary>Where a query's answer came from (the X-Analytics-Cache response header).</summary>
public enum QueryCacheOutcome
{
    /// <summary>The range is still open (or ended less than ClosedAfter ago): never cached, always the grains.</summary>
    Bypass,
    /// <summary>Closed range, not in the cache: the grains answered and the result was stored.</summary>
    Miss,
    /// <summary>Closed range, served from the cache without asking a grain.</summary>
    Hit,
}

/// <summary>
/// Finished query results over closed periods, in the shared hot cache. A range is closed once its end (the end of its
/// last hour bucket, or local midnight after its last day in the site's time zone) lies <see cref="HotCacheOptions.ClosedAfter"/>
/// in the past; its result is then kept for <see cref="HotCacheOptions.ClosedResultTtl"/>. Open ranges are never cached.
/// The key is a SHA-256 of the canonical <see cref="AnalyticsQuery"/> (resolved range, metrics, dimensions, filters,
/// order, pagination, time zone), so equal questions share one entry whatever JSON spelling they came in.
/// </summary>
public sealed class QueryResultCache(IHotCache cache, IOptions<HotCacheOptions> options, TimeProvider time)
{
    public const string KeyVersion = "q1";

    public async Task<(QueryResult Result, QueryCacheOutcome Outcome)> GetOrRunAsync(
        AnalyticsQuery query, Func<AnalyticsQuery, Task<QueryResult>> run, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!IsClosed(query, time.GetUtcNow().UtcDateTime, settings.ClosedAfter))
        {
            return (await run(query), QueryCacheOutcome.Bypass);
        }

        var key = Key(settings.KeyPrefix, query);
        if (await cache.GetAsync(key, cancellationToken) is { } bytes && TryRead(bytes) is { } cached)
        {
            return (cached, QueryCacheOutcome.Hit);
        }

        var result = await run(query);
        await cache.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(result, HotCacheJsonContext.Default.QueryResult), settings.ClosedResultTtl, cancellationToken);
        return (result, QueryCacheOutcome.Miss);
    }

    /// <summary>Drops every cached result of the site (after it was erased).</summary>
    public ValueTask ForgetSiteAsync(string site, CancellationToken cancellationToken) =>
        cache.RemoveByPrefixAsync(SitePrefix(options.Value.KeyPrefix, site), cancellationToken);

    public static string SitePrefix(string prefix, string site) => $"{prefix}{KeyVersion}:{site}:";

    /// <summary>The instant after the range's last bucket: the end of its last UTC hour, or the next local midnight.</summary>
    public static DateTime RangeEndUtc(AnalyticsQuery query) =>
        ClosedPeriods.EndUtc(query.Granularity, query.Last, TimeZones.Find(query.Timezone));

    public static bool IsClosed(AnalyticsQuery query, DateTime nowUtc, TimeSpan closedAfter) =>
        ClosedPeriods.IsClosed(RangeEndUtc(query), nowUtc, closedAfter);

    public static string Key(string prefix, AnalyticsQuery query)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(query, HotCacheJsonContext.Default.AnalyticsQuery);
        return SitePrefix(prefix, query.Site) + Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    private static QueryResult? TryRead(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, HotCacheJsonContext.Default.QueryResult);
        }
        catch (JsonException)
        {
            // An entry written by an incompatible version: recompute (and overwrite) rather than fail.
            return null;
        }
    }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(QueryResult))]
[JsonSerializable(typeof(AnalyticsQuery))]
internal sealed partial class HotCacheJsonContext : JsonSerializerContext;

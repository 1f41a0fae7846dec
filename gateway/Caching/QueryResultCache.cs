using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Abstractions.Caching;
using Analytics.GrainInterfaces.Query;
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
/// in the past; its result is then kept for <see cref="HotCacheOptions.ClosedResultTtl"/>, or until an event of a closed
/// period reaches the site's segments (the silo then drops the site's results). Open ranges are never cached.
/// The key is a SHA-256 of the canonical <see cref="StatsQuery"/> (resolved range, metrics, dimensions, filter tree,
/// order, pagination, time zone), so equal questions share one entry whatever JSON spelling they came in.
/// </summary>
public sealed class QueryResultCache(IHotCache cache, IOptions<HotCacheOptions> options, TimeProvider time)
{
    public async Task<(QueryResult Result, QueryCacheOutcome Outcome)> GetOrRunAsync(
        StatsQuery query, Func<StatsQuery, Task<QueryResult>> run, CancellationToken cancellationToken)
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
        cache.RemoveByPrefixAsync(QueryResultKeys.SitePrefix(options.Value.KeyPrefix, site), cancellationToken);

    /// <summary>The end of the range (exclusive): no event at or after it can change the answer.</summary>
    public static DateTime RangeEndUtc(StatsQuery query) => query.ToUtc;

    public static bool IsClosed(StatsQuery query, DateTime nowUtc, TimeSpan closedAfter) =>
        ClosedPeriods.IsClosed(RangeEndUtc(query), nowUtc, closedAfter);

    public static string Key(string prefix, StatsQuery query) =>
        QueryResultKeys.SitePrefix(prefix, query.Site) + Convert.ToHexStringLower(SHA256.HashData(Canonical(query)));

    /// <summary>Every field of the query that can change its answer, in a fixed order and spelling.</summary>
    private static byte[] Canonical(StatsQuery query)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(query.Site);
            json.WriteStringValue(query.Timezone);
            json.WriteStringValue(query.FromUtc.ToString("O", CultureInfo.InvariantCulture));
            json.WriteStringValue(query.ToUtc.ToString("O", CultureInfo.InvariantCulture));
            Strings(json, query.Metrics);
            Strings(json, query.Dimensions);
            Filter(json, query.Filter);
            json.WriteStartArray();
            foreach (var order in query.OrderBy)
            {
                json.WriteStringValue(order.Key);
                json.WriteBooleanValue(order.Descending);
            }

            json.WriteEndArray();
            json.WriteNumberValue(query.Limit);
            json.WriteNumberValue(query.Offset);
            // The goals event:goal was read with: an answer changes when they do.
            json.WriteStartArray();
            foreach (var goal in query.Goals)
            {
                json.WriteStringValue(goal.DisplayName);
                json.WriteStringValue(goal.EventName);
                json.WriteStringValue(goal.PagePath);
                json.WriteNumberValue(goal.ScrollThreshold);
                Strings(json, [.. goal.CustomProps.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => new[] { p.Key, p.Value })]);
                json.WriteStringValue(goal.Currency);
            }

            json.WriteEndArray();
            // The exchange rates revenue was converted with.
            json.WriteStartArray();
            foreach (var (pair, rate) in query.RevenueRates.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                json.WriteStringValue(pair);
                json.WriteNumberValue(rate);
            }

            json.WriteEndArray();
            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static void Filter(Utf8JsonWriter json, FilterExpression? filter)
    {
        json.WriteStartArray();
        switch (filter)
        {
            case null:
                break;
            case AndFilter and:
                json.WriteStringValue("and");
                Operands(json, and.Operands);
                break;
            case OrFilter or:
                json.WriteStringValue("or");
                Operands(json, or.Operands);
                break;
            case NotFilter not:
                json.WriteStringValue("not");
                Filter(json, not.Operand);
                break;
            case HasDoneFilter done:
                json.WriteStringValue(done.Negated ? "has_not_done" : "has_done");
                Filter(json, done.EventFilter);
                break;
            case DimensionFilter leaf:
                json.WriteStringValue(leaf.Operator.ToString());
                json.WriteStringValue(leaf.Dimension);
                Strings(json, leaf.Values);
                json.WriteBooleanValue(leaf.CaseSensitive);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter.GetType().Name, "Unknown filter type.");
        }

        json.WriteEndArray();
    }

    private static void Operands(Utf8JsonWriter json, IReadOnlyList<FilterExpression> operands)
    {
        foreach (var operand in operands)
        {
            Filter(json, operand);
        }
    }

    private static void Strings(Utf8JsonWriter json, IEnumerable<string> values)
    {
        json.WriteStartArray();
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
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
internal sealed partial class HotCacheJsonContext : JsonSerializerContext;

using System.Security.Claims;
using System.Text.Json;
using Analytics.Gateway.Access;
using Analytics.Gateway.Caching;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Query;

/// <summary>
/// Answers a Stats API v2 body for a caller: site scope before existence (so a key cannot probe which sites exist), the
/// site's lookup, validation, then the result (and the comparison's, in parallel) from the shared cache (closed periods)
/// or the grains. Shared by the v2
/// endpoint and the v1 endpoints, which translate their query strings into a v2 body.
/// </summary>
public sealed class StatsQueryRunner(ISiteDirectory sites, IGrainFactory grains, QueryResultCache results, TimeProvider time)
{
    /// <summary>The largest answer one query may produce; larger ones are refused (400), not sent.</summary>
    public const int MaxAnswerBytes = 16 * 1024 * 1024;

    /// <summary>The answer, or the problem to return instead. <see cref="QueryValidationException"/> is left to the caller.</summary>
    public async Task<StatsRun> RunAsync(JsonElement root, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var siteId = StatsQueryParser.ReadSiteId(root);
        var (found, forbidden) = await SiteAccess.FindAsync(user, siteId, sites, time, cancellationToken);
        if (forbidden)
        {
            return StatsRun.Failed(AccessProblems.SiteForbidden(siteId));
        }

        if (found is not { } site)
        {
            return StatsRun.Failed(TypedResults.Problem($"No site '{siteId}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site"));
        }

        var request = StatsQueryParser.Parse(root, site, time.GetUtcNow().UtcDateTime);
        var grain = grains.GetGrain<ISiteGrain>(site.SiteKey);
        var main = results.GetOrRunAsync(request.Query, q => RunAsync(grain, q), cancellationToken);
        var comparison = request.Comparison is { } c ? results.GetOrRunAsync(c, q => RunAsync(grain, q), cancellationToken) : null;
        if (comparison is not null)
        {
            // Both awaited together, so a failure of either is observed (and the first one thrown).
            await Task.WhenAll(main, comparison);
        }

        var (result, outcome) = await main;
        var compared = comparison is null ? null : (await comparison).Result;
        if (AnswerBytes(result) + (compared is null ? 0 : AnswerBytes(compared)) > MaxAnswerBytes)
        {
            return StatsRun.Failed(TypedResults.Problem(
                $"The answer would exceed {MaxAnswerBytes / (1024 * 1024)} MB; ask for fewer rows (pagination.limit) or a narrower query.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid query"));
        }

        return new StatsRun(site, request, result, compared, outcome, null);
    }

    /// <summary>A query the engine cannot answer (yet) is the caller's 400, not a server error.</summary>
    private static async Task<QueryResult> RunAsync(ISiteGrain grain, StatsQuery query)
    {
        try
        {
            return await grain.RunAsync(query);
        }
        catch (NotSupportedException ex)
        {
            throw new QueryValidationException(ex.Message);
        }
    }

    /// <summary>An upper estimate of the JSON answer: each number at most 24 bytes, each dimension value escaped at most 6×.</summary>
    private static long AnswerBytes(QueryResult result) =>
        result.Rows.Sum(r => 32L + r.Metrics.Count * 24L + r.Dimensions.Sum(d => 8L + 6L * d.Length));

    /// <summary>Today in the site's time zone, for APIs whose periods end at a given date.</summary>
    public DateOnly Today(SiteSettings site) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, TimeZones.Find(site.Timezone)));
}

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
/// site's lookup, validation, then the result from the shared cache (closed periods) or the grains. Shared by the v2
/// endpoint and the v1 endpoints, which translate their query strings into a v2 body.
/// </summary>
public sealed class StatsQueryRunner(ISiteDirectory sites, IGrainFactory grains, QueryResultCache results, TimeProvider time)
{
    /// <summary>The answer, or the problem to return instead. <see cref="QueryValidationException"/> is left to the caller.</summary>
    public async Task<StatsRun> RunAsync(JsonElement root, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var siteId = StatsQueryParser.ReadSiteId(root);
        if (!user.CanAccessSite(SiteDirectory.Normalize(siteId)))
        {
            return StatsRun.Failed(AccessProblems.SiteForbidden(siteId));
        }

        if (await sites.FindAsync(siteId, cancellationToken) is not { } site)
        {
            return StatsRun.Failed(TypedResults.Problem($"No site '{siteId}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site"));
        }

        var query = StatsQueryParser.Parse(root, site, time.GetUtcNow().UtcDateTime);
        var (result, outcome) = await results.GetOrRunAsync(query, q => grains.GetGrain<ISiteGrain>(site.Domain).QueryAsync(q), cancellationToken);
        return new StatsRun(site, query, result, outcome, null);
    }

    /// <summary>Today in the site's time zone, for APIs whose periods end at a given date.</summary>
    public DateOnly Today(SiteSettings site) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, TimeZones.Find(site.Timezone)));
}

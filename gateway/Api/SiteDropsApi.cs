using Analytics.Gateway.Access;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>GET /api/sites/{domain}/drops: why beacons were not counted, so a site owner sees more than "nothing happened".</summary>
public static class SiteDropsApi
{
    public const int WindowMinutes = 60;

    public static IEndpointRouteBuilder MapSiteDropsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sites/{domain}/drops", GetAsync)
            .WithTags("Sites")
            .WithName("GetSiteDrops")
            .WithSummary("Beacons dropped for the site in the last hour, by reason (bot, hostname_not_allowed, do_not_track, ...).")
            .RequireAuthorization(AccessPolicies.StatsRead)
            .RequireSiteScope()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<SiteDropsResponse>, ProblemHttpResult>> GetAsync(
        string domain, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(domain, cancellationToken) is not { } site)
        {
            return TypedResults.Problem($"No site '{domain}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site");
        }

        var reasons = await grains.GetGrain<ISiteDropsGrain>(site.SiteKey).GetLastHourAsync().WaitAsync(cancellationToken);
        return TypedResults.Ok(new SiteDropsResponse(site.Domain, WindowMinutes, reasons.Values.Sum(), reasons));
    }
}

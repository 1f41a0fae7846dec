using Analytics.Gateway.Access;

namespace Analytics.Gateway.Api;

/// <summary>
/// The route group of one kind of a site's resources, <c>/api/sites/{domain}/{resource}</c>: the credential's site scope
/// must cover the route's site, and the group documents the 401, 403 and 404 every such endpoint can answer.
/// </summary>
public static class SiteRouteGroup
{
    public static RouteGroupBuilder MapSiteGroup(this IEndpointRouteBuilder app, string resource, string tag) =>
        app.MapGroup($"/api/sites/{{domain}}/{resource}").WithTags(tag).RequireSiteScope()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
}

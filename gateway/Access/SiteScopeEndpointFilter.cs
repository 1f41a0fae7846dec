using Analytics.Gateway.Sites;

namespace Analytics.Gateway.Access;

/// <summary>
/// For endpoints under <c>/api/sites/{domain}</c> whose handlers know nothing of access: the credential's site scope must
/// cover the route's site, else 403 problem+json (before the handler looks the site up, so scope never leaks existence).
/// </summary>
public static class SiteScopeEndpointFilter
{
    public static TBuilder RequireSiteScope<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var domain = context.HttpContext.GetRouteValue("domain") as string ?? string.Empty;
            return context.HttpContext.User.CanAccessSite(SiteDirectory.Normalize(domain))
                ? await next(context)
                : AccessProblems.SiteForbidden(domain);
        });
}

using Analytics.Gateway.Sites;

namespace Analytics.Gateway.Access;

/// <summary>
/// For endpoints under <c>/api/sites/{domain}</c> whose handlers know nothing of access: the credential's site scope must
/// cover the route's site (<see cref="SiteAccess"/>), else 403 problem+json, whether the site exists or not.
/// </summary>
public static class SiteScopeEndpointFilter
{
    public static TBuilder RequireSiteScope<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var domain = http.GetRouteValue("domain") as string ?? string.Empty;
            return http.User.CanAccessSite(SiteDirectory.Normalize(domain))
                || !(await SiteAccess.FindAsync(http.User, domain, http.RequestServices.GetRequiredService<ISiteDirectory>(),
                    http.RequestServices.GetRequiredService<TimeProvider>(), http.RequestAborted)).Forbidden
                ? await next(context)
                : AccessProblems.SiteForbidden(domain);
        });
}

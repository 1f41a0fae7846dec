using Analytics.Gateway.Access;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// A site's allowed event props (Plausible's "custom properties"): GET /api/sites/{domain}/props, PUT with
/// {"property": …} to allow a key, DELETE …/props/{property} to remove one. With a list, the dashboard offers only its
/// keys; ingestion and the Stats API are not affected, as in Plausible.
/// </summary>
public static class SitePropsApi
{
    public static IEndpointRouteBuilder MapSitePropsApi(this IEndpointRouteBuilder app)
    {
        var props = app.MapSiteGroup("props", "Sites");
        props.MapGet("/", ListAsync).WithName("ListSiteProps")
            .WithSummary("The allowed props (empty: every key is offered) and the internal keys always offered.")
            .RequireAuthorization(AccessPolicies.Authenticated);
        props.MapPut("/", AllowAsync).WithName("AllowSiteProp")
            .WithSummary("Allows a property key (1–300 characters; at most 300 keys); allowing one twice is fine.")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        props.MapDelete("/{**property}", DisallowAsync).WithName("DisallowSiteProp")
            .WithSummary("Removes a property key from the allowed list (one not there is fine); its data stays.")
            .RequireAuthorization(AccessPolicies.SitesManage);
        return app;
    }

    private static async Task<Results<Ok<SitePropsResponse>, ProblemHttpResult>> ListAsync(
        string domain, ISiteDirectory sites, CancellationToken cancellationToken) =>
        await sites.FindAsync(domain, cancellationToken) is { } site
            ? TypedResults.Ok(SitePropsResponse.From(site.AllowedProps))
            : NotFound(domain);

    private static async Task<Results<Ok<SitePropsResponse>, ProblemHttpResult>> AllowAsync(
        string domain, SitePropsRequest? request, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(domain, cancellationToken) is not { } site)
        {
            return NotFound(domain);
        }

        var (props, status, error) = await AllowPropAsync(grains.GetGrain<ISiteGrain>(site.SiteKey), request?.Property);
        sites.Invalidate(domain);
        return props is null
            ? TypedResults.Problem(error, statusCode: status, title: status == StatusCodes.Status404NotFound ? "Unknown site" : "Invalid property")
            : TypedResults.Ok(SitePropsResponse.From(props));
    }

    private static async Task<Results<Ok<SitePropsResponse>, ProblemHttpResult>> DisallowAsync(
        string domain, string property, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(domain, cancellationToken) is not { } site
            || await grains.GetGrain<ISiteGrain>(site.SiteKey).DisallowPropAsync(property) is not { } props)
        {
            return NotFound(domain);
        }

        sites.Invalidate(domain);
        return TypedResults.Ok(SitePropsResponse.From(props));
    }

    /// <summary>
    /// Allows a key, trimmed, with Plausible's checks and messages (also for PUT /api/v1/sites/custom-props): the list,
    /// or the problem (400; 404 for a site deleted meanwhile).
    /// </summary>
    internal static async Task<(IReadOnlyList<string>? Props, int Status, string? Error)> AllowPropAsync(ISiteGrain site, string? property)
    {
        var key = property?.Trim() ?? string.Empty;
        if (key.Length == 0)
        {
            return (null, StatusCodes.Status400BadRequest, "Parameter `property` is required to create a custom property");
        }

        if (key.Length > SiteProps.MaxKeyLength)
        {
            return (null, StatusCodes.Status400BadRequest, "Parameter `property` is too long");
        }

        return await site.AllowPropAsync(key) switch
        {
            null => (null, StatusCodes.Status404NotFound, "Site could not be found"),
            var props when !props.Contains(key, StringComparer.Ordinal) => (null, StatusCodes.Status400BadRequest, "Can't add any more custom properties"),
            var props => (props, StatusCodes.Status200OK, null),
        };
    }

    private static ProblemHttpResult NotFound(string domain) =>
        TypedResults.Problem($"No site '{domain}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site");
}

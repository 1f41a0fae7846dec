using System.Security.Claims;
using Analytics.Gateway.Access;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// Plausible's custom property endpoints of its Sites API: GET /api/v1/sites/custom-props?site_id=,
/// PUT /api/v1/sites/custom-props (site_id, property; JSON or a form; idempotent, {"created": true}),
/// DELETE /api/v1/sites/custom-props/{property} (site_id in the body or query; {"deleted": true}, also for a key not there).
/// </summary>
public static class SitesV1PropsApi
{
    public static IEndpointRouteBuilder MapSitesV1PropsApi(this IEndpointRouteBuilder app)
    {
        var props = app.MapGroup("/api/v1/sites/custom-props").WithTags("Sites API v1");
        props.MapGet("/", ListAsync).WithName("SitesV1CustomProps")
            .WithSummary("{\"custom_properties\": [{\"property\": …}]}: the site's allowed event props.")
            .RequireAuthorization(AccessPolicies.Authenticated);
        props.MapPut("/", AllowAsync).WithName("SitesV1CustomProp")
            .WithSummary("Allows a custom property: site_id and property, JSON or a form; {\"created\": true}, also when it was there.")
            .RequireAuthorization(AccessPolicies.SitesManage);
        props.MapDelete("/{**property}", DisallowAsync).WithName("SitesV1DeleteCustomProp")
            .WithSummary("Removes a custom property of site_id (in the body or the query string): {\"deleted\": true}.")
            .RequireAuthorization(AccessPolicies.SitesManage);
        return app;
    }

    private static async Task<Results<Ok<SitesV1CustomProps>, ProblemHttpResult>> ListAsync(
        string? site_id, ClaimsPrincipal user, ISiteDirectory directory, CancellationToken cancellationToken)
    {
        if (site_id is null)
        {
            return SitesV1Api.Problem(StatusCodes.Status400BadRequest, "Parameter `site_id` is required to list custom properties");
        }

        var (site, problem) = await SitesV1Api.FindSiteAsync(site_id, user, directory, cancellationToken);
        return site is null ? problem! : TypedResults.Ok(new SitesV1CustomProps([.. site.AllowedProps.Select(p => new SitesV1CustomProp(p))]));
    }

    private static async Task<Results<Ok<SitesV1Created>, ProblemHttpResult>> AllowAsync(
        HttpRequest http, ClaimsPrincipal user, ISiteDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var fields = await SitesV1Api.ReadFieldsAsync(http, cancellationToken);
        if (fields is not null && !fields.ContainsKey("site_id"))
        {
            return SitesV1Api.Problem(StatusCodes.Status400BadRequest, "Parameter `site_id` is required to create a custom property");
        }

        var (site, problem) = await SitesV1Api.FindSiteAsync(fields?.GetValueOrDefault("site_id"), user, directory, cancellationToken);
        if (site is null)
        {
            return problem!;
        }

        var (props, status, error) = await SitePropsApi.AllowPropAsync(grains.GetGrain<ISiteGrain>(site.SiteKey), fields!.GetValueOrDefault("property"));
        directory.Invalidate(site.Domain);
        return props is null ? SitesV1Api.Problem(status, error!) : TypedResults.Ok(new SitesV1Created(true));
    }

    private static async Task<Results<Ok<SitesV1Deleted>, ProblemHttpResult>> DisallowAsync(
        string property, HttpRequest http, ClaimsPrincipal user, ISiteDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var siteId = http.Query["site_id"].FirstOrDefault();
        if (siteId is null && SitesV1Api.HasBody(http))
        {
            siteId = (await SitesV1Api.ReadFieldsAsync(http, cancellationToken))?.GetValueOrDefault("site_id");
        }

        if (siteId is null)
        {
            return SitesV1Api.Problem(StatusCodes.Status400BadRequest, "Parameter `site_id` is required to delete a custom property");
        }

        var (site, problem) = await SitesV1Api.FindSiteAsync(siteId, user, directory, cancellationToken);
        if (site is null)
        {
            return problem!;
        }

        if (await grains.GetGrain<ISiteGrain>(site.SiteKey).DisallowPropAsync(property) is null)
        {
            return SitesV1Api.Problem(StatusCodes.Status404NotFound, "Site could not be found");
        }

        directory.Invalidate(site.Domain);
        return TypedResults.Ok(new SitesV1Deleted(true));
    }
}

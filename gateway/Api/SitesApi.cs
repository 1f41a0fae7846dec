using System.Security.Claims;
using System.Text.RegularExpressions;
using Analytics.Gateway.Access;
using Analytics.Gateway.Caching;
using Analytics.Gateway.Ga4;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

public static partial class SitesApi
{
    public static IEndpointRouteBuilder MapSitesApi(this IEndpointRouteBuilder app)
    {
        var sites = app.MapGroup("/api/sites").WithTags("Sites");
        sites.MapPost("/", RegisterAsync)
            .WithName("RegisterSite")
            .WithSummary("Registers a site, or updates its settings (time zone, cookieless, allowed hostnames, respect_dnt, ga4_measurement_id).")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        sites.MapGet("/", ListAsync).WithName("ListSites").WithSummary("The registered sites the credential covers.")
            .RequireAuthorization(AccessPolicies.Authenticated);
        sites.MapGet("/{domain}", GetAsync).WithName("GetSite")
            .RequireAuthorization(AccessPolicies.Authenticated)
            .RequireSiteScope()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        sites.MapDelete("/{domain}", DeleteAsync)
            .WithName("DeleteSite")
            .WithSummary("Erases everything about the site: settings, aggregates, visitor state, raw events, cached results.")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .RequireSiteScope()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        // Exports hand out raw events: the site's managers, not read-only keys or share links.
        sites.MapGroup("/").RequireAuthorization(AccessPolicies.SitesManage).RequireSiteScope().MapExportApi();
        return app;
    }

    internal static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> RegisterAsync(
        SiteRequest request, ClaimsPrincipal user, IGrainFactory grains, ISiteDirectory directory, Ga4Streams streams, CancellationToken cancellationToken)
    {
        var domain = SiteDirectory.Normalize(request.Domain ?? string.Empty);
        if (!IsDomain(domain))
        {
            return BadRequest("domain must be a hostname such as example.com (letters, digits, dots, hyphens; at most 253 characters).");
        }

        if (!user.CanAccessSite(domain))
        {
            return AccessProblems.SiteForbidden(domain);
        }

        var timezone = request.Timezone ?? "Etc/UTC";
        if (!TimeZones.IsKnown(timezone))
        {
            return BadRequest($"timezone '{timezone}' is not a known IANA time zone (e.g. Europe/Berlin).");
        }

        var hostnames = (request.AllowedHostnames ?? []).Select(h => h.Trim().ToLowerInvariant()).ToList();
        if (hostnames.Count > 100 || hostnames.Any(h => !IsDomain(h.StartsWith("*.", StringComparison.Ordinal) ? h[2..] : h)))
        {
            return BadRequest("allowed_hostnames must be at most 100 hostnames, optionally starting with '*.'.");
        }

        var measurementId = request.Ga4MeasurementId is { } requested && Ga4Streams.Normalize(requested) is { Length: > 0 } id ? id : null;
        if (measurementId is not null && !MeasurementIdPattern().IsMatch(measurementId))
        {
            return BadRequest("ga4_measurement_id must be a GA4 measurement id such as G-XXXXXXXXXX.");
        }

        if (measurementId is not null && await streams.FindSiteAsync(measurementId, cancellationToken) is { } owner && owner != domain)
        {
            return TypedResults.Problem($"ga4_measurement_id '{measurementId}' belongs to another site.", statusCode: StatusCodes.Status409Conflict, title: "Measurement id in use");
        }

        var stored = await grains.GetGrain<ISiteGrain>(domain).RegisterAsync(new SiteSettings
        {
            Domain = domain,
            Timezone = timezone,
            Cookieless = request.Cookieless ?? false,
            AllowedHostnames = hostnames,
            RespectDoNotTrack = request.RespectDoNotTrack ?? false,
            Ga4MeasurementId = measurementId,
        });
        directory.Invalidate(domain);
        streams.Forget();
        return TypedResults.Ok(SiteResponse.From(stored));
    }

    private static async Task<Ok<IReadOnlyList<string>>> ListAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok<IReadOnlyList<string>>([.. (await grains.GetGrain<ISiteRegistryGrain>(0).ListAsync()).Where(user.CanAccessSite)]);

    private static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> GetAsync(string domain, ISiteDirectory directory, CancellationToken cancellationToken) =>
        await directory.FindAsync(domain, cancellationToken) is { } site
            ? TypedResults.Ok(SiteResponse.From(site))
            : NotFound(domain);

    /// <summary>A hostname such as example.com; also what an API key's site scope may list.</summary>
    public static bool IsDomain(string domain) => DomainPattern().IsMatch(domain);

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string domain, IGrainFactory grains, ISiteDirectory directory, Ga4Streams streams, QueryResultCache results, CancellationToken cancellationToken)
    {
        var site = SiteDirectory.Normalize(domain);
        if (!await grains.GetGrain<ISiteGrain>(site).DeleteAsync())
        {
            return NotFound(domain);
        }

        directory.Invalidate(site);
        streams.Forget();
        await results.ForgetSiteAsync(site, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(string domain) =>
        TypedResults.Problem($"No site '{domain}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site");

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid site");

    /// <summary>A GA4 web stream's measurement id: "G-" and letters or digits.</summary>
    [GeneratedRegex("^G-[A-Z0-9]{4,20}$")]
    private static partial Regex MeasurementIdPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex DomainPattern();
}

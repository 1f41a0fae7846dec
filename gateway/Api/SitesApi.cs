using System.Text.RegularExpressions;
using Analytics.Gateway.Caching;
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
            .WithSummary("Registers a site, or updates its settings (time zone, cookieless, allowed hostnames, respect_dnt).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        sites.MapGet("/", ListAsync).WithName("ListSites").WithSummary("All registered sites.");
        sites.MapGet("/{domain}", GetAsync).WithName("GetSite").ProducesProblem(StatusCodes.Status404NotFound);
        sites.MapDelete("/{domain}", DeleteAsync)
            .WithName("DeleteSite")
            .WithSummary("Erases everything about the site: settings, aggregates, visitor state, raw events, cached results.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        sites.MapExportApi();
        return app;
    }

    private static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> RegisterAsync(
        SiteRequest request, IGrainFactory grains, ISiteDirectory directory)
    {
        var domain = SiteDirectory.Normalize(request.Domain ?? string.Empty);
        if (!DomainPattern().IsMatch(domain))
        {
            return BadRequest("domain must be a hostname such as example.com (letters, digits, dots, hyphens; at most 253 characters).");
        }

        var timezone = request.Timezone ?? "Etc/UTC";
        if (!TimeZones.IsKnown(timezone))
        {
            return BadRequest($"timezone '{timezone}' is not a known IANA time zone (e.g. Europe/Berlin).");
        }

        var hostnames = (request.AllowedHostnames ?? []).Select(h => h.Trim().ToLowerInvariant()).ToList();
        if (hostnames.Count > 100 || hostnames.Any(h => !DomainPattern().IsMatch(h.StartsWith("*.", StringComparison.Ordinal) ? h[2..] : h)))
        {
            return BadRequest("allowed_hostnames must be at most 100 hostnames, optionally starting with '*.'.");
        }

        var stored = await grains.GetGrain<ISiteGrain>(domain).RegisterAsync(new SiteSettings
        {
            Domain = domain,
            Timezone = timezone,
            Cookieless = request.Cookieless ?? false,
            AllowedHostnames = hostnames,
            RespectDoNotTrack = request.RespectDoNotTrack ?? false,
        });
        directory.Invalidate(domain);
        return TypedResults.Ok(SiteResponse.From(stored));
    }

    private static async Task<Ok<IReadOnlyList<string>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISiteRegistryGrain>(0).ListAsync());

    private static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> GetAsync(string domain, ISiteDirectory directory, CancellationToken cancellationToken) =>
        await directory.FindAsync(domain, cancellationToken) is { } site
            ? TypedResults.Ok(SiteResponse.From(site))
            : NotFound(domain);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string domain, IGrainFactory grains, ISiteDirectory directory, QueryResultCache results, CancellationToken cancellationToken)
    {
        var site = SiteDirectory.Normalize(domain);
        if (!await grains.GetGrain<ISiteGrain>(site).DeleteAsync())
        {
            return NotFound(domain);
        }

        directory.Invalidate(site);
        await results.ForgetSiteAsync(site, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(string domain) =>
        TypedResults.Problem($"No site '{domain}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site");

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid site");

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex DomainPattern();
}

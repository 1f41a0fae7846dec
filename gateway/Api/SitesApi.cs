using System.Security.Claims;
using Analytics.Gateway.Abuse;
using Analytics.Gateway.Access;
using Analytics.Gateway.Ga4;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

public static class SitesApi
{
    public static IEndpointRouteBuilder MapSitesApi(this IEndpointRouteBuilder app)
    {
        var sites = app.MapGroup("/api/sites").WithTags("Sites");
        sites.MapPost("/", CreateAsync)
            .WithName("RegisterSite")
            .WithSummary("Registers a new site. An already registered domain is a 409: change its settings with PUT or PATCH.")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sites.MapPut("/{domain}", ReplaceSettingsAsync)
            .WithName("ReplaceSiteSettings")
            .WithSummary("Replaces a site's settings; fields left out take their defaults (UTC, cookies, any hostname, DNT ignored). A new domain renames the site, its data kept.")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .RequireSiteScope()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        sites.MapPatch("/{domain}", PatchSettingsAsync)
            .WithName("PatchSiteSettings")
            .WithSummary("Changes only the settings the body names; the others keep their stored values. A new domain renames the site, its data kept.")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .RequireSiteScope()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
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
        sites.MapGroup("/").RequireAuthorization(AccessPolicies.SitesManage).RequireSiteScope().RequireQueryLimits().MapExportApi().MapSegmentExportApi();
        return app;
    }

    internal static async Task<Results<Created<SiteResponse>, ProblemHttpResult>> CreateAsync(
        SiteRequest request, ClaimsPrincipal user, [AsParameters] SiteServices services, CancellationToken cancellationToken)
    {
        var (grains, directory, streams) = (services.Grains, services.Directory, services.Streams);
        var domain = SiteDirectory.Normalize(request.Domain ?? string.Empty);
        if (!SiteDirectory.IsDomain(domain))
        {
            return BadRequest("domain must be a hostname such as example.com (letters, digits, dots, hyphens; at most 253 characters).");
        }

        if (!user.CanAccessSite(domain))
        {
            return AccessProblems.SiteForbidden(domain);
        }

        var (settings, error) = SiteSettingsEditor.Apply(request, SiteSettingsEditor.Defaults(domain));
        if (settings is null)
        {
            return BadRequest(error!);
        }

        if (await MeasurementIdTakenAsync(settings, streams, cancellationToken) is { } taken)
        {
            return taken;
        }

        // Never a silent reset: registering a known domain again changes nothing; nor a renamed site's former domain in its transition.
        if (await directory.FindAsync(domain, cancellationToken) is { } holder)
        {
            return TypedResults.Problem(holder.Domain == domain
                    ? $"Site '{domain}' is already registered; change its settings with PUT or PATCH /api/sites/{domain}."
                    : $"'{domain}' is the former domain of '{holder.Domain}' until {holder.DomainChangedAt + SiteDomains.TransitionPeriod:yyyy-MM-dd HH:mm} UTC. {SiteDomainChange.Taken}",
                statusCode: StatusCodes.Status409Conflict, title: "Site already registered");
        }

        // The domain's own key may still hold a renamed site's data (after its transition): the new site gets a key of its own.
        var key = await grains.GetGrain<ISiteGrain>(domain).GetSettingsAsync() is { } keyHolder && keyHolder.Domain != domain
            ? $"{domain}~{ApiKeys.NewId()}"
            : domain;
        if (await grains.GetGrain<ISiteGrain>(key).CreateAsync(settings) is not { } stored)
        {
            return TypedResults.Problem($"Site '{domain}' is already registered; change its settings with PUT or PATCH /api/sites/{domain}.",
                statusCode: StatusCodes.Status409Conflict, title: "Site already registered");
        }

        directory.Invalidate(domain);
        streams.Forget();
        return TypedResults.Created($"/api/sites/{domain}", SiteResponse.From(stored));
    }

    private static Task<Results<Ok<SiteResponse>, ProblemHttpResult>> ReplaceSettingsAsync(
        string domain, SiteRequest request, [AsParameters] SiteServices services, CancellationToken cancellationToken) =>
        UpdateSettingsAsync(domain, request, replace: true, services, cancellationToken);

    private static Task<Results<Ok<SiteResponse>, ProblemHttpResult>> PatchSettingsAsync(
        string domain, SiteRequest request, [AsParameters] SiteServices services, CancellationToken cancellationToken) =>
        UpdateSettingsAsync(domain, request, replace: false, services, cancellationToken);

    private static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> UpdateSettingsAsync(
        string domain, SiteRequest request, bool replace, SiteServices services, CancellationToken cancellationToken)
    {
        var (grains, directory, streams, domains) = (services.Grains, services.Directory, services.Streams, services.Domains);
        if (await directory.FindAsync(domain, cancellationToken) is not { } current)
        {
            return NotFound(domain);
        }

        var (settings, error) = SiteSettingsEditor.Apply(request, replace ? SiteSettingsEditor.Defaults(current.Domain) : current);
        if (settings is null)
        {
            return BadRequest(error!);
        }

        if (await MeasurementIdTakenAsync(settings, streams, cancellationToken) is { } taken)
        {
            return taken;
        }

        // A new domain, as Plausible's PUT /api/v1/sites/{site_id} changes it: the site and its data stay, under the new name.
        if (request.Domain is { } named && SiteDirectory.Normalize(named) != current.Domain)
        {
            var (renamed, refusal) = await domains.ChangeAsync(current, named, cancellationToken);
            if (renamed is null)
            {
                return BadRequest("domain: " + refusal);
            }

            current = renamed;
        }

        if (await grains.GetGrain<ISiteGrain>(current.SiteKey).UpdateAsync(settings) is not { } stored)
        {
            return NotFound(domain);
        }

        directory.Invalidate(current.Domain);
        directory.Invalidate(domain);
        streams.Forget();
        return TypedResults.Ok(SiteResponse.From(stored));
    }

    /// <summary>A 409 when the settings name a GA4 measurement id another site already has; null otherwise.</summary>
    private static async Task<ProblemHttpResult?> MeasurementIdTakenAsync(SiteSettings settings, Ga4Streams streams, CancellationToken cancellationToken) =>
        settings.Ga4MeasurementId is { } id && await streams.FindSiteAsync(id, cancellationToken) is { } owner && owner != settings.Domain
            ? TypedResults.Problem($"ga4_measurement_id '{id}' belongs to another site.", statusCode: StatusCodes.Status409Conflict, title: "Measurement id in use")
            : null;

    private static async Task<Ok<IReadOnlyList<string>>> ListAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok<IReadOnlyList<string>>([.. (await grains.GetGrain<ISiteRegistryGrain>(0).ListAsync()).Where(user.CanAccessSite)]);

    private static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> GetAsync(string domain, ISiteDirectory directory, CancellationToken cancellationToken) =>
        await directory.FindAsync(domain, cancellationToken) is { } site
            ? TypedResults.Ok(SiteResponse.From(site))
            : NotFound(domain);

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string domain, [AsParameters] SiteServices services, CancellationToken cancellationToken)
    {
        var (grains, directory, streams, results, validator) = (services.Grains, services.Directory, services.Streams, services.Results, services.Validator);
        var site = SiteDirectory.Normalize(domain);
        // A site's own domain or its former one; a deletion that failed half-way is repeated by the domain's own key.
        var found = SiteDirectory.IsDomain(site) ? await directory.FindAsync(site, cancellationToken) : null;
        var key = found?.SiteKey ?? site;
        if (!SiteDirectory.IsDomain(site) || !await grains.GetGrain<ISiteGrain>(key).DeleteAsync())
        {
            return NotFound(domain);
        }

        foreach (var name in new[] { site, found?.Domain, found?.FormerDomain }.OfType<string>())
        {
            directory.Invalidate(name);
        }

        streams.Forget();
        // The deletion removed the site's keys and share links: this process stops honouring them at once.
        validator.Forget();
        await results.ForgetSiteAsync(key, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(string domain) =>
        TypedResults.Problem($"No site '{domain}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site");

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid site");
}

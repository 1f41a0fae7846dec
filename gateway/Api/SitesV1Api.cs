using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using Analytics.Gateway.Access;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Access;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// Plausible's Sites API (/api/v1/sites…) on our site registry and share links: create (JSON or form), list, get, delete,
/// and find-or-create a shared link by name. Same keys, scopes and answers as /api/sites; errors also carry {"error"}.
/// </summary>
public static class SitesV1Api
{
    public static IEndpointRouteBuilder MapSitesV1Api(this IEndpointRouteBuilder app)
    {
        var sites = app.MapGroup("/api/v1/sites").WithTags("Sites API v1");
        sites.MapPost("/", CreateAsync).WithName("SitesV1Create")
            .WithSummary("Registers a site: domain and timezone, as JSON or a form. 400 when it exists.")
            .RequireAuthorization(AccessPolicies.SitesManage);
        sites.MapGet("/", ListAsync).WithName("SitesV1List")
            .WithSummary("{\"sites\": [{\"domain\", \"timezone\", …}], \"meta\": {…}}: the sites the key covers.")
            .RequireAuthorization(AccessPolicies.Authenticated);
        sites.MapPut("/shared-links", SharedLinkAsync).WithName("SitesV1SharedLink")
            .WithSummary("Finds or creates the site's shared link of that name: {\"name\", \"url\"}, 200 either way (409 only for a link made before slugs were derived).")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sites.MapPut("/{domain}", UpdateAsync).WithName("SitesV1Update")
            .WithSummary("Changes the site's domain ({\"domain\": \"new.example\"}, JSON or a form): its data, goals, keys and links stay; the former domain still counts for 72 hours.")
            .RequireAuthorization(AccessPolicies.SitesManage).RequireSiteScope();
        sites.MapGet("/{domain}", GetAsync).WithName("SitesV1Get")
            .RequireAuthorization(AccessPolicies.Authenticated).RequireSiteScope();
        sites.MapDelete("/{domain}", DeleteAsync).WithName("SitesV1Delete")
            .WithSummary("Erases the site and everything about it: {\"deleted\": true}.")
            .RequireAuthorization(AccessPolicies.SitesManage).RequireSiteScope();
        return app;
    }

    private static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> CreateAsync(
        HttpRequest http, ClaimsPrincipal user, [AsParameters] SiteServices services, CancellationToken cancellationToken)
    {
        var fields = await ReadFieldsAsync(http, cancellationToken);
        if (fields is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "The body must be a JSON object or a form with domain and timezone.");
        }

        var domain = fields.GetValueOrDefault("domain") ?? string.Empty;
        // Only a well-formed domain is looked up (CreateAsync explains a malformed one); scope before existence.
        var normalized = SiteDirectory.Normalize(domain);
        if (SiteDirectory.IsDomain(normalized) && user.CanAccessSite(normalized) && await services.Directory.FindAsync(normalized, cancellationToken) is { } holder)
        {
            return Problem(StatusCodes.Status400BadRequest,
                holder.Domain == normalized ? $"domain: '{domain}' has already been taken." : "domain: " + SiteDomainChange.Taken);
        }

        // Plausible answers a new site with 200, where our own path says 201 Created.
        return (await SitesApi.CreateAsync(new SiteRequest(domain, fields.GetValueOrDefault("timezone"), null, null), user, services, cancellationToken)).Result switch
        {
            Created<SiteResponse> created => TypedResults.Ok(created.Value!),
            ProblemHttpResult problem => problem.WithError(),
            var other => throw new UnreachableException($"Unexpected result {other.GetType().Name}."),
        };
    }

    private static async Task<Ok<SitesV1List>> ListAsync(ClaimsPrincipal user, IGrainFactory grains, ISiteDirectory directory, CancellationToken cancellationToken)
    {
        var sites = new List<SiteResponse>();
        foreach (var domain in (await grains.GetGrain<ISiteRegistryGrain>(0).ListAsync()).Where(user.CanAccessSite))
        {
            if (await directory.FindAsync(domain, cancellationToken) is { } site)
            {
                sites.Add(SiteResponse.From(site));
            }
        }

        return TypedResults.Ok(new SitesV1List(sites, new SitesV1Meta(null, null, sites.Count)));
    }

    private static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> GetAsync(string domain, ISiteDirectory directory, CancellationToken cancellationToken) =>
        await directory.FindAsync(domain, cancellationToken) is { } site
            ? TypedResults.Ok(SiteResponse.From(site))
            : Problem(StatusCodes.Status404NotFound, $"Site could not be found: '{domain}'.");

    private static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> UpdateAsync(
        string domain, HttpRequest http, ISiteDirectory directory, SiteDomainChange domains, CancellationToken cancellationToken)
    {
        // Plausible reads domain and tracker_script_configuration; our script has no server-side configuration to change.
        if ((await ReadFieldsAsync(http, cancellationToken))?.GetValueOrDefault("domain") is not { } requested)
        {
            return Problem(StatusCodes.Status400BadRequest, "Payload must contain at least one of the parameters 'domain', 'tracker_script_configuration'");
        }

        if (await directory.FindAsync(domain, cancellationToken) is not { } site)
        {
            return Problem(StatusCodes.Status404NotFound, "Site could not be found");
        }

        var (renamed, error) = await domains.ChangeAsync(site, requested, cancellationToken);
        return renamed is null ? Problem(StatusCodes.Status400BadRequest, "domain: " + error) : TypedResults.Ok(SiteResponse.From(renamed));
    }

    private static async Task<Results<Ok<SitesV1Deleted>, ProblemHttpResult>> DeleteAsync(
        string domain, [AsParameters] SiteServices services, CancellationToken cancellationToken) =>
        await SitesApi.DeleteAsync(domain, services, cancellationToken) switch
        {
            { Result: ProblemHttpResult problem } => problem.WithError(),
            _ => TypedResults.Ok(new SitesV1Deleted(true)),
        };

    private static async Task<Results<Ok<SitesV1SharedLink>, ProblemHttpResult>> SharedLinkAsync(
        HttpRequest http, ClaimsPrincipal user, [AsParameters] ShareLinkServices services, CancellationToken cancellationToken)
    {
        var (grains, slugs) = (services.Grains, services.Slugs);
        var fields = await ReadFieldsAsync(http, cancellationToken);
        var (site, problem) = await FindSiteAsync(fields?.GetValueOrDefault("site_id"), user, services.Sites, cancellationToken);
        if (site is null)
        {
            return problem!;
        }

        if (!fields!.TryGetValue("name", out var requested))
        {
            return Problem(StatusCodes.Status400BadRequest, "Parameter `name` is required to create a shared link");
        }

        var name = ShareLinksApi.LinkName(requested);
        var registry = grains.GetGrain<IShareLinkRegistryGrain>(0);
        var existing = (await registry.ListAsync(site.Domain)).FirstOrDefault(l => l.Name == name);
        var slug = existing is null
            ? (await ShareLinksApi.CreateLinkAsync(grains, slugs, site.Domain, name, services.Time)).Slug
            : await ReproduceAsync(registry, slugs, existing);
        // A link made before slugs were derived had a random slug, of which only the hash is kept: its URL is gone.
        return slug is null
            ? Problem(StatusCodes.Status409Conflict,
                $"The site's shared link named '{name}' predates reproducible links, so its URL cannot be shown again. Revoke it (DELETE /api/sites/{site.Domain}/shared-links/{existing!.Id}) or choose another name.")
            : TypedResults.Ok(new SitesV1SharedLink(name, $"{http.Scheme}://{http.Host}{ShareLinksApi.PagePath}{slug}"));
    }

    /// <summary>The link's slug made again, if the registry has it under that slug's hash (links made since slugs are derived); else null.</summary>
    private static async Task<string?> ReproduceAsync(IShareLinkRegistryGrain registry, ShareLinkSlugs slugs, ShareLink link)
    {
        var slug = slugs.SlugFor(link.Id);
        return await registry.FindAsync(ApiKeys.Hash(slug)) is { } found && found.Id == link.Id ? slug : null;
    }

    /// <summary>
    /// The site a v1 call names by its site_id, checked in Plausible's order as our paths do: a malformed id is a 400, a
    /// site outside the credential's scope a 403 (before existence, so a key cannot probe which sites exist), else a 404.
    /// </summary>
    internal static async Task<(SiteSettings? Site, ProblemHttpResult? Problem)> FindSiteAsync(
        string? siteId, ClaimsPrincipal user, ISiteDirectory directory, CancellationToken cancellationToken)
    {
        var domain = siteId ?? string.Empty;
        if (!SiteDirectory.IsDomain(SiteDirectory.Normalize(domain)))
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "site_id must be the domain of a registered site."));
        }

        var (site, forbidden) = await SiteAccess.FindAsync(user, domain, directory, TimeProvider.System, cancellationToken);
        return forbidden ? (null, AccessProblems.SiteForbidden(domain).WithError())
            : site is not null ? (site, null)
            : (null, Problem(StatusCodes.Status404NotFound, $"Site could not be found: '{domain}'."));
    }

    /// <summary>Whether a request carries a body to read fields from: a form, JSON, or any body sent with a length (a chunked one has none).</summary>
    internal static bool HasBody(HttpRequest http) => http.HasFormContentType || http.HasJsonContentType() || http.ContentLength > 0;

    /// <summary>String fields of a JSON object or a form (Plausible's clients send either); null when the body is neither.</summary>
    internal static async Task<Dictionary<string, string>?> ReadFieldsAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (http.HasFormContentType)
        {
            var form = await http.ReadFormAsync(cancellationToken);
            return form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(http.Body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: status == StatusCodes.Status404NotFound ? "Unknown site" : "Invalid request").WithError();
}

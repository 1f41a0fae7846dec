using Analytics.Gateway.Access;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// Public share links, as Plausible has: GET /share/{slug} shows one site's dashboard read-only without a login, and
/// the stats API accepts the slug (header <see cref="AccessSchemes.ShareHeader"/>) for that site only. Revoking removes it.
/// </summary>
public static class ShareLinksApi
{
    public const string PagePath = "/share/";

    public static IEndpointRouteBuilder MapShareLinksApi(this IEndpointRouteBuilder app)
    {
        var links = app.MapSiteGroup("shared-links", "Sites").RequireAuthorization(AccessPolicies.SitesManage);
        links.MapPost("/", CreateAsync).WithName("CreateShareLink").WithSummary("Creates a public read-only link to the site's dashboard.");
        links.MapGet("/", ListAsync).WithName("ListShareLinks").WithSummary("The site's share links.");
        links.MapDelete("/{link:regex(^[A-Za-z0-9_-]{{1,64}}$)}", RevokeAsync).WithName("RevokeShareLink").WithSummary("Revokes a share link (by its id or its slug).");
        return app;
    }

    private static async Task<Results<Created<ShareLinkResponse>, ProblemHttpResult>> CreateAsync(
        string domain, ShareLinkRequest? request, [AsParameters] ShareLinkServices services, CancellationToken cancellationToken)
    {
        if (await FindSiteAsync(domain, services.Sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        var (link, slug) = await CreateLinkAsync(services.Grains, services.Slugs, await DomainOfAsync(domain, services.Sites, cancellationToken), request?.Name, services.Time);
        return TypedResults.Created(PagePath + slug, ShareLinkResponse.From(link, slug));
    }

    /// <summary>
    /// A new link for a registered site (also Plausible's PUT /api/v1/sites/shared-links), and its slug: the registry keeps
    /// the slug's hash; only <see cref="ShareLinkSlugs"/>' key can make the slug again.
    /// </summary>
    public static async Task<(ShareLink Link, string Slug)> CreateLinkAsync(IGrainFactory grains, ShareLinkSlugs slugs, string domain, string? name, TimeProvider time)
    {
        var id = ApiKeys.NewId();
        var slug = slugs.SlugFor(id);
        var link = new ShareLink
        {
            Id = id,
            Site = SiteDirectory.Normalize(domain),
            Name = LinkName(name),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await grains.GetGrain<IShareLinkRegistryGrain>(0).CreateAsync(ApiKeys.Hash(slug), link);
        return (link, slug);
    }

    public static string LinkName(string? name) => name?.Trim() is { Length: > 0 and <= 100 } trimmed ? trimmed : "Shared link";

    private static async Task<Results<Ok<IReadOnlyList<ShareLinkResponse>>, ProblemHttpResult>> ListAsync(
        string domain, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken) =>
        await FindSiteAsync(domain, sites, cancellationToken) is { } problem
            ? problem
            : TypedResults.Ok<IReadOnlyList<ShareLinkResponse>>(
                [.. (await grains.GetGrain<IShareLinkRegistryGrain>(0).ListAsync(await DomainOfAsync(domain, sites, cancellationToken))).Select(l => ShareLinkResponse.From(l, slug: null))]);

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string domain, string link, ISiteDirectory sites, IGrainFactory grains, AccessTokenValidator validator, CancellationToken cancellationToken)
    {
        if (await FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        // An id names the link as listed; a slug (22 characters) is matched by its hash, as stored.
        var registry = grains.GetGrain<IShareLinkRegistryGrain>(0);
        var site = await DomainOfAsync(domain, sites, cancellationToken);
        if (!await registry.RevokeAsync(site, link) && !await registry.RevokeAsync(site, ApiKeys.Hash(link)))
        {
            return TypedResults.Problem($"Site '{domain}' has no share link '{link}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown share link");
        }

        validator.Forget();
        return TypedResults.NoContent();
    }

    /// <summary>The registered site's domain as registries name it (the route may name its former domain, in the transition).</summary>
    internal static async Task<string> DomainOfAsync(string domain, ISiteDirectory sites, CancellationToken cancellationToken) =>
        (await sites.FindAsync(domain, cancellationToken))?.Domain ?? SiteDirectory.Normalize(domain);

    /// <summary>Null when the site exists (the group's site-scope filter already checked the credential); else a 404.</summary>
    internal static async Task<ProblemHttpResult?> FindSiteAsync(string domain, ISiteDirectory sites, CancellationToken cancellationToken) =>
        await sites.FindAsync(domain, cancellationToken) is null
            ? TypedResults.Problem($"No site '{domain}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site")
            : null;
}

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
        var links = app.MapGroup("/api/sites/{domain}/shared-links").WithTags("Sites").RequireAuthorization(AccessPolicies.SitesManage).RequireSiteScope()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        links.MapPost("/", CreateAsync).WithName("CreateShareLink").WithSummary("Creates a public read-only link to the site's dashboard.");
        links.MapGet("/", ListAsync).WithName("ListShareLinks").WithSummary("The site's share links.");
        links.MapDelete("/{slug}", RevokeAsync).WithName("RevokeShareLink").WithSummary("Revokes a share link.");
        return app;
    }

    private static async Task<Results<Created<ShareLinkResponse>, ProblemHttpResult>> CreateAsync(
        string domain, ShareLinkRequest? request, ISiteDirectory sites, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        var link = new ShareLink
        {
            Slug = ApiKeys.NewSlug(),
            Site = SiteDirectory.Normalize(domain),
            Name = request?.Name?.Trim() is { Length: > 0 and <= 100 } name ? name : "Shared link",
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await grains.GetGrain<IShareLinkRegistryGrain>(0).CreateAsync(link);
        return TypedResults.Created(PagePath + link.Slug, ShareLinkResponse.From(link));
    }

    private static async Task<Results<Ok<IReadOnlyList<ShareLinkResponse>>, ProblemHttpResult>> ListAsync(
        string domain, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken) =>
        await FindSiteAsync(domain, sites, cancellationToken) is { } problem
            ? problem
            : TypedResults.Ok<IReadOnlyList<ShareLinkResponse>>(
                [.. (await grains.GetGrain<IShareLinkRegistryGrain>(0).ListAsync(SiteDirectory.Normalize(domain))).Select(ShareLinkResponse.From)]);

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string domain, string slug, ISiteDirectory sites, IGrainFactory grains, AccessTokenValidator validator, CancellationToken cancellationToken)
    {
        if (await FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (!await grains.GetGrain<IShareLinkRegistryGrain>(0).RevokeAsync(SiteDirectory.Normalize(domain), slug))
        {
            return TypedResults.Problem($"Site '{domain}' has no share link '{slug}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown share link");
        }

        validator.Forget();
        return TypedResults.NoContent();
    }

    /// <summary>Null when the site exists (the group's site-scope filter already checked the credential); else a 404.</summary>
    internal static async Task<ProblemHttpResult?> FindSiteAsync(string domain, ISiteDirectory sites, CancellationToken cancellationToken) =>
        await sites.FindAsync(domain, cancellationToken) is null
            ? TypedResults.Problem($"No site '{domain}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site")
            : null;
}

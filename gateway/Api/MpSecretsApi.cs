using System.Security.Cryptography;
using Analytics.Gateway.Access;
using Analytics.Gateway.Ga4;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Ga4;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Analytics.Gateway.Api;

/// <summary>
/// A site's GA4 Measurement Protocol API secrets, as GA4's admin has them: created (shown once, only the SHA-256 kept),
/// listed, revoked. /mp/collect counts a request only with an unrevoked secret of the measurement id's site.
/// </summary>
public static class MpSecretsApi
{
    /// <summary>Characters of a secret shown in lists to recognise it (6 of 43: not enough to guess the rest).</summary>
    public const int VisiblePrefixLength = 6;

    public static IEndpointRouteBuilder MapMpSecretsApi(this IEndpointRouteBuilder app)
    {
        var secrets = app.MapSiteGroup("mp-secrets", "Sites").RequireAuthorization(AccessPolicies.SitesManage);
        secrets.MapPost("/", CreateAsync).WithName("CreateMpSecret")
            .WithSummary("Creates a Measurement Protocol API secret for the site; the secret is in this answer only.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        secrets.MapGet("/", ListAsync).WithName("ListMpSecrets").WithSummary("The site's Measurement Protocol API secrets: name, prefix, created, revoked.");
        secrets.MapDelete("/{id}", RevokeAsync).WithName("RevokeMpSecret").WithSummary("Revokes a Measurement Protocol API secret.");
        return app;
    }

    private static async Task<Results<Created<CreatedMpSecretResponse>, ProblemHttpResult>> CreateAsync(
        string domain, MpSecretRequest? request, ISiteDirectory sites, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        var name = request?.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > 100)
        {
            return TypedResults.Problem("name is required (at most 100 characters).", statusCode: StatusCodes.Status400BadRequest, title: "Invalid API secret request");
        }

        // 32 random bytes, base64url: 256 bits, so a fast hash is enough at rest (as for API keys).
        var secret = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var info = new MpSecretInfo
        {
            Id = ApiKeys.NewId(),
            Site = await ShareLinksApi.DomainOfAsync(domain, sites, cancellationToken),
            Name = name,
            Prefix = secret[..VisiblePrefixLength],
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await grains.GetGrain<IMpSecretRegistryGrain>(0).CreateAsync(ApiKeys.Hash(secret), info);
        return TypedResults.Created($"/api/sites/{info.Site}/mp-secrets/{info.Id}", new CreatedMpSecretResponse(secret, MpSecretResponse.From(info)));
    }

    private static async Task<Results<Ok<IReadOnlyList<MpSecretResponse>>, ProblemHttpResult>> ListAsync(
        string domain, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken) =>
        await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem
            ? problem
            : TypedResults.Ok<IReadOnlyList<MpSecretResponse>>(
                [.. (await grains.GetGrain<IMpSecretRegistryGrain>(0).ListAsync(await ShareLinksApi.DomainOfAsync(domain, sites, cancellationToken))).Select(MpSecretResponse.From)]);

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string domain, string id, ISiteDirectory sites, IGrainFactory grains, Ga4Streams streams, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (!await grains.GetGrain<IMpSecretRegistryGrain>(0).RevokeAsync(await ShareLinksApi.DomainOfAsync(domain, sites, cancellationToken), id))
        {
            return TypedResults.Problem($"Site '{domain}' has no API secret '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown API secret");
        }

        streams.Forget();
        return TypedResults.NoContent();
    }
}

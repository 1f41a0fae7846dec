using System.Security.Claims;
using Analytics.Gateway.Access;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>API keys: created (the plaintext shown once, only its SHA-256 kept), listed, revoked.</summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/keys").WithTags("API keys").RequireAuthorization(AccessPolicies.KeysManage)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        keys.MapPost("/", CreateAsync)
            .WithName("CreateApiKey")
            .WithSummary("Creates an API key scoped to sites (domains or \"*\") and permissions; the key is in this answer only.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        keys.MapGet("/", ListAsync).WithName("ListApiKeys")
            .WithSummary("The API keys whose sites lie within the caller's: name, owner, prefix, scopes, created/last used, revoked.");
        keys.MapDelete("/{id:regex(^[0-9a-f]{{1,32}}$)}", RevokeAsync).WithName("RevokeApiKey")
            .WithSummary("Revokes a key whose sites lie within the caller's.").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> CreateAsync(
        ApiKeyRequest request, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time)
    {
        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > 100)
        {
            return BadRequest("name is required (at most 100 characters).");
        }

        var sites = (request.Sites ?? []).Select(SiteDirectory.Normalize).Distinct(StringComparer.Ordinal).ToList();
        if (sites.Count is 0 or > 100 || sites.Any(s => s != AccessPermissions.AllSites && !SiteDirectory.IsDomain(s)))
        {
            return BadRequest("sites must list 1 to 100 domains, or [\"*\"] for every site.");
        }

        var permissions = (request.Permissions ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (permissions.Count == 0 || permissions.Any(p => !AccessPermissions.All.Contains(p)))
        {
            return BadRequest($"permissions must list some of: {string.Join(", ", AccessPermissions.All)}.");
        }

        // A key never grants more than its creator holds.
        if (sites.Any(s => !user.CanAccessSite(s)) ||
            permissions.Any(p => !user.HasPermission(p)))
        {
            return TypedResults.Problem("A key cannot cover sites or permissions its creator does not have.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        var key = ApiKeys.NewKey();
        var info = new ApiKeyInfo
        {
            Id = ApiKeys.NewId(),
            Name = name,
            Owner = user.Identity?.Name ?? "unknown",
            Prefix = ApiKeys.VisiblePrefix(key),
            Sites = sites,
            Permissions = permissions,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await grains.GetGrain<IApiKeyRegistryGrain>(0).CreateAsync(ApiKeys.Hash(key), info);
        return TypedResults.Created($"/api/keys/{info.Id}", new CreatedApiKeyResponse(key, ApiKeyResponse.From(info)));
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyResponse>>> ListAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok<IReadOnlyList<ApiKeyResponse>>([.. (await grains.GetGrain<IApiKeyRegistryGrain>(0).ListAsync()).Where(k => Covers(user, k)).Select(ApiKeyResponse.From)]);

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, ClaimsPrincipal user, IGrainFactory grains, AccessTokenValidator validator)
    {
        var registry = grains.GetGrain<IApiKeyRegistryGrain>(0);
        // A key out of the caller's scope is answered like a missing one: its existence is not the caller's to learn.
        if ((await registry.ListAsync()).FirstOrDefault(k => k.Id == id) is not { } key || !Covers(user, key) || !await registry.RevokeAsync(id))
        {
            return TypedResults.Problem($"No API key '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown API key");
        }

        validator.Forget();
        return TypedResults.NoContent();
    }

    /// <summary>A key is the caller's to see and revoke when every site it covers is within the caller's scope ("*" only for "*").</summary>
    private static bool Covers(ClaimsPrincipal user, ApiKeyInfo key) => key.Sites.All(user.CanAccessSite);

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid API key request");
}

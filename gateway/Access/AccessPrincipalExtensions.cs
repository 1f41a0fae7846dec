using System.Security.Claims;

namespace Analytics.Gateway.Access;

public static class AccessPrincipalExtensions
{
    /// <summary>Whether the credential's site scope includes <paramref name="domain"/> (already normalized).</summary>
    public static bool CanAccessSite(this ClaimsPrincipal user, string domain) =>
        user.HasClaim(AccessGrant.SiteClaim, AccessPermissions.AllSites) || user.HasClaim(AccessGrant.SiteClaim, domain);

    public static bool HasPermission(this ClaimsPrincipal user, string permission) => user.HasClaim(AccessGrant.PermissionClaim, permission);

    public static IReadOnlyList<string> Sites(this ClaimsPrincipal user) => [.. user.FindAll(AccessGrant.SiteClaim).Select(c => c.Value)];

    public static IReadOnlyList<string> Permissions(this ClaimsPrincipal user) => [.. user.FindAll(AccessGrant.PermissionClaim).Select(c => c.Value)];

    /// <summary>Signed in with the dashboard's cookie, so state-changing calls need the CSRF token.</summary>
    public static bool IsCookieSession(this ClaimsPrincipal user) => user.Identity?.AuthenticationType == AccessSchemes.Cookie;
}

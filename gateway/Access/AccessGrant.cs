using System.Security.Claims;

namespace Analytics.Gateway.Access;

/// <summary>What a credential (API key, share link, admin login) allows: the sites in scope and the permissions.</summary>
public sealed record AccessGrant(string Name, IReadOnlyList<string> Sites, IReadOnlyList<string> Permissions)
{
    public const string SiteClaim = "ag:site";
    public const string PermissionClaim = "ag:permission";

    public static AccessGrant Admin(string email) => new(email, [AccessPermissions.AllSites], AccessPermissions.All);

    /// <summary>
    /// An API key's grant, named "key:" + its name: what a key creates is owned by a name no admin email can have, so a
    /// key named like the admin cannot make keys that read as the admin's.
    /// </summary>
    public static AccessGrant Key(string name, IReadOnlyList<string> sites, IReadOnlyList<string> permissions) => new("key:" + name, sites, permissions);

    public ClaimsPrincipal ToPrincipal(string authenticationType) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, Name),
            .. Sites.Select(s => new Claim(SiteClaim, s)),
            .. Permissions.Select(p => new Claim(PermissionClaim, p)),
        ],
        authenticationType));
}

namespace Analytics.Gateway.Access;

/// <summary>Authorization policy names: one per permission, and the dashboard (an admin signed in with the cookie).</summary>
public static class AccessPolicies
{
    public const string StatsRead = AccessPermissions.StatsRead;
    public const string SitesManage = AccessPermissions.SitesManage;
    public const string KeysManage = AccessPermissions.KeysManage;

    /// <summary>Any valid credential; what it may see is filtered by its site scope.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>The dashboard page and the Orleans Dashboard: a cookie login (anonymous users are sent to /login).</summary>
    public const string Dashboard = "dashboard";
}

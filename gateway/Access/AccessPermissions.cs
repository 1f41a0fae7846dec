namespace Analytics.Gateway.Access;

public static class AccessPermissions
{
    /// <summary>Query the stats API (POST /api/v2/query, realtime) for the sites in scope.</summary>
    public const string StatsRead = "stats:read";

    /// <summary>Register sites, change their settings, manage their share links.</summary>
    public const string SitesManage = "sites:manage";

    /// <summary>Create, list and revoke API keys (no more than the creator has).</summary>
    public const string KeysManage = "keys:manage";

    /// <summary>In a key's site list: every site.</summary>
    public const string AllSites = "*";

    public static readonly IReadOnlyList<string> All = [StatsRead, SitesManage, KeysManage];
}

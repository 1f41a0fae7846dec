namespace Analytics.Abstractions.Caching;

/// <summary>
/// Where finished query results live in the hot cache: one key prefix per site, so the gateway that stores them and the
/// silo that learns they went stale (<c>LateEventResults</c>) agree on what to drop.
/// </summary>
public static class QueryResultKeys
{
    public const string KeyVersion = "q2";

    public static string SitePrefix(string prefix, string site) => $"{prefix}{KeyVersion}:{site}:";
}

namespace Analytics.Grains.Privacy;

/// <summary>Which stored keys belong to a site: visitors and segments are keyed "site|…" (<c>VisitorKeys</c>, <c>SegmentKey</c>).</summary>
public static class SiteKeys
{
    /// <summary>The first key of the site's range: every "site|…" key sorts at or after it.</summary>
    public static string Prefix(string site) => site + "|";

    /// <summary>The first key after the site's range ('}' follows '|'), for range scans on sorted keys.</summary>
    public static string UpperBound(string site) => site + "}";

    public static bool Owns(string site, string key) => key.StartsWith(Prefix(site), StringComparison.Ordinal);

    /// <summary>The site part of a "site|…" key, or null for keys that are not per site (registry, salts, the site grain itself).</summary>
    public static string? SiteOf(string key) => key.IndexOf('|', StringComparison.Ordinal) is > 0 and var bar ? key[..bar] : null;
}

namespace Analytics.GrainInterfaces.Sites;

/// <summary>Plausible's bounds and internal keys for a site's allowed event props (Plausible.Props).</summary>
public static class SiteProps
{
    /// <summary>How many keys a site may allow.</summary>
    public const int MaxAllowed = 300;

    /// <summary>The longest key, in characters.</summary>
    public const int MaxKeyLength = 300;

    /// <summary>Keys the trackers set themselves (outbound links, file downloads, 404s, site search): always offered.</summary>
    public static IReadOnlyList<string> InternalKeys { get; } = ["url", "path", "search_query"];
}

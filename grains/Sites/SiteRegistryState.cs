namespace Analytics.Grains.Sites;

[GenerateSerializer, Alias("SiteRegistryState")]
public sealed class SiteRegistryState
{
    [Id(0)] public SortedSet<string> Domains { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Domain → site key where they differ (a renamed site's domains); any other domain is its own key.</summary>
    [Id(1)] public Dictionary<string, string> Aliases { get; set; } = new(StringComparer.Ordinal);
}

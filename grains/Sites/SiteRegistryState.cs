namespace Analytics.Grains.Sites;

[GenerateSerializer, Alias("SiteRegistryState")]
public sealed class SiteRegistryState
{
    [Id(0)] public SortedSet<string> Domains { get; set; } = new(StringComparer.Ordinal);
}

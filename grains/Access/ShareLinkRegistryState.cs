using Analytics.GrainInterfaces.Access;

namespace Analytics.Grains.Access;

[GenerateSerializer, Alias("ShareLinkRegistryState")]
public sealed class ShareLinkRegistryState
{
    /// <summary>By slug.</summary>
    [Id(0)] public Dictionary<string, ShareLink> Links { get; set; } = new(StringComparer.Ordinal);
}

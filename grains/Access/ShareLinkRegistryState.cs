using Analytics.GrainInterfaces.Access;

namespace Analytics.Grains.Access;

[GenerateSerializer, Alias("ShareLinkRegistryState")]
public sealed class ShareLinkRegistryState
{
    /// <summary>By the SHA-256 of the slug (hex); the slug itself is never stored.</summary>
    [Id(0)] public Dictionary<string, ShareLink> Links { get; set; } = new(StringComparer.Ordinal);
}

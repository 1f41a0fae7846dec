using Analytics.GrainInterfaces.Access;

namespace Analytics.Grains.Access;

[GenerateSerializer, Alias("ApiKeyRegistryState")]
public sealed class ApiKeyRegistryState
{
    /// <summary>By the key's SHA-256 (hex); the key itself is never stored.</summary>
    [Id(0)] public Dictionary<string, ApiKeyInfo> Keys { get; set; } = new(StringComparer.Ordinal);
}

using Analytics.GrainInterfaces.Ga4;

namespace Analytics.Grains.Ga4;

[GenerateSerializer, Alias("MpSecretRegistryState")]
public sealed class MpSecretRegistryState
{
    /// <summary>By the secret's SHA-256 (hex); the secret itself is never stored.</summary>
    [Id(0)] public Dictionary<string, MpSecretInfo> Secrets { get; set; } = new(StringComparer.Ordinal);
}

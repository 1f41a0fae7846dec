namespace Analytics.Grains.Access;

[GenerateSerializer, Alias("AdminSessionRegistryState")]
public sealed class AdminSessionRegistryState
{
    /// <summary>Ended session ids (random, not secrets) and when their cookies would have expired.</summary>
    [Id(0)] public Dictionary<string, DateTime> Ended { get; set; } = new(StringComparer.Ordinal);
}

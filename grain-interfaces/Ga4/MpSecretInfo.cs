namespace Analytics.GrainInterfaces.Ga4;

/// <summary>What is kept about a Measurement Protocol API secret: never the secret, only its hash (held by the registry).</summary>
[GenerateSerializer, Immutable, Alias("MpSecretInfo")]
public sealed record MpSecretInfo
{
    /// <summary>A short random id, used to revoke the secret.</summary>
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Site { get; init; }
    [Id(2)] public required string Name { get; init; }
    /// <summary>The first characters of the secret, enough to recognise it in a list.</summary>
    [Id(3)] public required string Prefix { get; init; }
    [Id(4)] public DateTime CreatedAt { get; init; }
    [Id(5)] public bool Revoked { get; init; }
}

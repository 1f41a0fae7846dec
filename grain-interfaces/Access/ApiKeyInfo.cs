namespace Analytics.GrainInterfaces.Access;

/// <summary>What is kept about an API key: never the key itself, only its hash (held by the registry) and a prefix to recognise it.</summary>
[GenerateSerializer, Immutable, Alias("ApiKeyInfo")]
public sealed record ApiKeyInfo
{
    /// <summary>A short random id, used to revoke the key.</summary>
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    /// <summary>Who created it (the admin's email or the creating key's name).</summary>
    [Id(2)] public required string Owner { get; init; }
    /// <summary>The first characters of the key ("ag_AbCd…"), enough to recognise it in a list.</summary>
    [Id(3)] public required string Prefix { get; init; }
    /// <summary>The sites the key may read; "*" means every site.</summary>
    [Id(4)] public IReadOnlyList<string> Sites { get; init; } = [];
    /// <summary>stats:read, sites:manage, keys:manage.</summary>
    [Id(5)] public IReadOnlyList<string> Permissions { get; init; } = [];
    [Id(6)] public DateTime CreatedAt { get; init; }
    [Id(7)] public DateTime? LastUsedAt { get; init; }
    [Id(8)] public bool Revoked { get; init; }
}

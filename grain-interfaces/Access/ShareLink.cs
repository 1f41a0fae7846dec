namespace Analytics.GrainInterfaces.Access;

/// <summary>A public, read-only link to one site's dashboard (/share/{slug}), as Plausible has.</summary>
[GenerateSerializer, Immutable, Alias("ShareLink")]
public sealed record ShareLink
{
    [Id(0)] public required string Slug { get; init; }
    [Id(1)] public required string Site { get; init; }
    [Id(2)] public required string Name { get; init; }
    [Id(3)] public DateTime CreatedAt { get; init; }
}

namespace Analytics.GrainInterfaces.Access;

/// <summary>
/// A public, read-only link to one site's dashboard (/share/{slug}), as Plausible has. The slug is the credential: the
/// registry keeps only its SHA-256, like an API key's, and names the link by <see cref="Id"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("ShareLink")]
public sealed record ShareLink
{
    // Id(0) held the plaintext slug before slugs were stored hashed; it is not reused.
    [Id(1)] public required string Site { get; init; }
    [Id(2)] public required string Name { get; init; }
    [Id(3)] public DateTime CreatedAt { get; init; }
    /// <summary>A short random id, unrelated to the slug, to list and revoke the link by.</summary>
    [Id(4)] public required string Id { get; init; }
}

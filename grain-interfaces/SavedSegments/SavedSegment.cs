namespace Analytics.GrainInterfaces.SavedSegments;

/// <summary>
/// A site's saved segment, as Plausible keeps one: a name and the Stats API v2 filters it stands for (the JSON array,
/// validated before it is stored; it never refers to another segment). Queries use it as ["is", "segment", [id]].
/// </summary>
[GenerateSerializer, Immutable, Alias("SavedSegment")]
public sealed record SavedSegment
{
    /// <summary>Unique within the site; never reused after a delete.</summary>
    [Id(0)] public long Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    /// <summary>The filters as a JSON array, exactly as a v2 query's "filters".</summary>
    [Id(2)] public required string Filters { get; init; }
    [Id(3)] public DateTime CreatedAt { get; init; }
    [Id(4)] public DateTime UpdatedAt { get; init; }
}

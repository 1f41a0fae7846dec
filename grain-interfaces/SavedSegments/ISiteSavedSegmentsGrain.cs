using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.SavedSegments;

/// <summary>A site's saved segments (key: the domain). Validation happens before: the grain keeps names unique and bounds the count.</summary>
[Alias("ISiteSavedSegmentsGrain")]
public interface ISiteSavedSegmentsGrain : IGrainWithStringKey
{
    /// <summary>The most segments one site keeps (Plausible's limit).</summary>
    const int MaxSegments = 500;

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<SavedSegment>> ListAsync();

    /// <summary><paramref name="segment"/> stored under a new id; null when the name is taken or the site has <see cref="MaxSegments"/>.</summary>
    [Alias("Create")]
    Task<SavedSegment?> CreateAsync(SavedSegment segment);

    /// <summary>The segment <paramref name="id"/> renamed and/or given new filters; null when there is none, or the name is another's.</summary>
    [Alias("Update")]
    Task<SavedSegmentUpdate> UpdateAsync(long id, string? name, string? filters);

    /// <summary>False when the site has no segment with that id.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(long id);

    /// <summary>Forgets every segment (the site is being erased).</summary>
    [Alias("Clear")]
    Task ClearAsync();
}

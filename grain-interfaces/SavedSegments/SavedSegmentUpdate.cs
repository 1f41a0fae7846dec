namespace Analytics.GrainInterfaces.SavedSegments;

/// <summary>What <see cref="ISiteSavedSegmentsGrain.UpdateAsync"/> did: the updated segment, or why not (unknown id, name taken).</summary>
[GenerateSerializer, Immutable, Alias("SavedSegmentUpdate")]
public sealed record SavedSegmentUpdate([property: Id(0)] SavedSegment? Segment, [property: Id(1)] bool NameTaken);

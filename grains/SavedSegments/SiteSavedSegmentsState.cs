using Analytics.GrainInterfaces.SavedSegments;

namespace Analytics.Grains.SavedSegments;

[GenerateSerializer, Alias("SiteSavedSegmentsState")]
public sealed class SiteSavedSegmentsState
{
    [Id(0)] public List<SavedSegment> Segments { get; set; } = [];
    [Id(1)] public long LastId { get; set; }
}

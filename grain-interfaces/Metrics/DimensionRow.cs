using Analytics.GrainInterfaces.Sketches;

namespace Analytics.GrainInterfaces.Metrics;

[GenerateSerializer, Immutable, Alias("DimensionRow")]
public sealed record DimensionRow(
    [property: Id(0)] string Value,
    [property: Id(1)] Counters Counters,
    [property: Id(2)] VisitorSketch Visitors);

using Analytics.GrainInterfaces.Sketches;

namespace Analytics.GrainInterfaces.Metrics;

/// <summary>What a query reads from one bucket: totals, the visitor sketch, and optionally one breakdown's rows.</summary>
[GenerateSerializer, Immutable, Alias("BucketSlice")]
public sealed record BucketSlice(
    [property: Id(0)] Counters Totals,
    [property: Id(1)] VisitorSketch Visitors,
    [property: Id(2)] IReadOnlyList<DimensionRow> Rows)
{
    public static BucketSlice Empty { get; } = new(default, new VisitorSketch(), []);
}

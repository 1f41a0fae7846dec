using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Grains.Metrics;

/// <summary>
/// A closed bucket's totals in the hot cache, with the names of the breakdowns it has: a breakdown missing from the list
/// is empty, one listed but not found in the cache is a miss.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClosedBucketEntry")]
public sealed record ClosedBucketEntry(
    [property: Id(0)] Counters Totals,
    [property: Id(1)] VisitorSketch Visitors,
    [property: Id(2)] string[] Dimensions);

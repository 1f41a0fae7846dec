namespace Analytics.GrainInterfaces.Metrics;

/// <summary>A change to one row of one breakdown, e.g. ("visit:source", "Google"): counters, and the visitor to add to the row's sketch.</summary>
[GenerateSerializer, Immutable, Alias("DimensionDelta")]
public sealed record DimensionDelta(
    [property: Id(0)] string Dimension,
    [property: Id(1)] string Value,
    [property: Id(2)] Counters Counters,
    [property: Id(3)] ulong? Visitor);

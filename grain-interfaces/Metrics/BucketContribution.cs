namespace Analytics.GrainInterfaces.Metrics;

/// <summary>
/// What one event changes in the buckets that contain <see cref="At"/>: totals, the visitor for the unique sketch,
/// and breakdown rows. The aggregator fans it out to the minute, hour and local-day buckets.
/// </summary>
[GenerateSerializer, Immutable, Alias("BucketContribution")]
public sealed record BucketContribution
{
    [Id(0)] public required ContributionId Id { get; init; }
    [Id(1)] public required string Site { get; init; }
    [Id(2)] public required DateTime At { get; init; }
    [Id(3)] public required string Timezone { get; init; }
    [Id(4)] public Counters Totals { get; init; }
    [Id(5)] public ulong? Visitor { get; init; }
    [Id(6)] public IReadOnlyList<DimensionDelta> Dimensions { get; init; } = [];
}

namespace Analytics.GrainInterfaces.Goals;

/// <summary>A named sequence of 2–8 of the site's goals that a visitor completes in order within one visit.</summary>
[GenerateSerializer, Immutable, Alias("Funnel")]
public sealed record Funnel
{
    public const int MinSteps = 2;
    public const int MaxSteps = 8;

    /// <summary>Unique within the site; never reused after a delete.</summary>
    [Id(0)] public long Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    /// <summary>The goals of the steps, in order (ids of <see cref="Goal"/>).</summary>
    [Id(2)] public required IReadOnlyList<long> GoalIds { get; init; }
    [Id(3)] public DateTime CreatedAt { get; init; }
}

namespace Analytics.GrainInterfaces.Goals;

/// <summary>The goal found or made by <see cref="ISiteGoalsGrain.FindOrCreateAsync"/>, and whether it is new.</summary>
[GenerateSerializer, Immutable, Alias("GoalCreation")]
public sealed record GoalCreation([property: Id(0)] Goal Goal, [property: Id(1)] bool Created);

namespace Analytics.GrainInterfaces.Query;

/// <summary>
/// ["has_done", filter] / ["has_not_done", filter]: the visit has (or has not) at least one event matching
/// <see cref="EventFilter"/>, whatever the other filters say about its other events.
/// </summary>
[GenerateSerializer, Immutable, Alias("HasDoneFilter")]
public sealed record HasDoneFilter([property: Id(0)] FilterExpression EventFilter, [property: Id(1)] bool Negated) : FilterExpression;

namespace Analytics.GrainInterfaces.Metrics;

/// <summary>
/// Identifies one contribution of one event: <see cref="Part"/> 0 is the event-time part, 1 the session part.
/// Buckets remember in-flight ids so a replayed event is applied once.
/// </summary>
[GenerateSerializer, Immutable, Alias("ContributionId")]
public readonly record struct ContributionId([property: Id(0)] Guid EventId, [property: Id(1)] byte Part)
{
    public const byte EventPart = 0;
    public const byte SessionPart = 1;
}

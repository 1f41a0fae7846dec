namespace Analytics.GrainInterfaces.Query;

/// <summary>
/// A funnel over a range: the visitors of the range (the query's filters applied) and, per step, the visitors with a
/// visit that completed every step up to it in order.
/// </summary>
[GenerateSerializer, Immutable, Alias("FunnelResult")]
public sealed record FunnelResult([property: Id(0)] long AllVisitors, [property: Id(1)] IReadOnlyList<long> StepVisitors);

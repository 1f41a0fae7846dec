namespace Analytics.Bench.Infra;

/// <summary>
/// One measured target: the target's text (<see cref="LanesSummary"/> lists issue #17's), the figure, whether it was
/// met (null: not judged, e.g. a figure only asked to be reported, or a size below the target's), and what bounds it
/// (the resource profile of the measured window).
/// </summary>
public sealed record TargetResult(string Scenario, string Target, string Figure, bool? Met, string Bound);

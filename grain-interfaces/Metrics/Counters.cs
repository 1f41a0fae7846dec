namespace Analytics.GrainInterfaces.Metrics;

/// <summary>
/// Additive counters of a bucket or of one breakdown row. Deltas may be negative (a session stops being a bounce).
/// Engaged time and scroll depths come from engagement events, on the page they were sent from.
/// </summary>
[GenerateSerializer, Immutable, Alias("Counters")]
public readonly record struct Counters(
    [property: Id(0)] long Pageviews,
    [property: Id(1)] long Events,
    [property: Id(2)] long Visits,
    [property: Id(3)] long Bounces,
    [property: Id(4)] long DurationMs,
    [property: Id(5)] long EngagedMs = 0,
    [property: Id(6)] long ScrollDepthSum = 0,
    [property: Id(7)] long ScrollDepthSamples = 0)
{
    public static Counters operator +(Counters a, Counters b) =>
        new(a.Pageviews + b.Pageviews, a.Events + b.Events, a.Visits + b.Visits, a.Bounces + b.Bounces, a.DurationMs + b.DurationMs,
            a.EngagedMs + b.EngagedMs, a.ScrollDepthSum + b.ScrollDepthSum, a.ScrollDepthSamples + b.ScrollDepthSamples);

    public static Counters operator -(Counters a) =>
        new(-a.Pageviews, -a.Events, -a.Visits, -a.Bounces, -a.DurationMs, -a.EngagedMs, -a.ScrollDepthSum, -a.ScrollDepthSamples);

    public bool IsZero => this == default;
}

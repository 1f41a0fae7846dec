using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Grains.Metrics;

[GenerateSerializer, Alias("MetricBucketState")]
public sealed class MetricBucketState
{
    [Id(0)] public Counters Totals { get; set; }
    [Id(1)] public VisitorSketch Visitors { get; set; } = new(VisitorSketch.TotalsPrecision);
    [Id(2)] public Dictionary<string, BreakdownTable> Breakdowns { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Contributions applied whose visitor may not have saved yet (value: UTC ticks when applied). Small: ids leave
    /// when the visitor confirms; leftovers of a crashed confirmation expire.
    /// </summary>
    [Id(3)] public Dictionary<ContributionId, long> InFlight { get; set; } = [];
}

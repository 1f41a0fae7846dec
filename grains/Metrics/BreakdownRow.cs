using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Grains.Metrics;

[GenerateSerializer, Alias("BreakdownRow")]
public sealed class BreakdownRow
{
    [Id(0)] public Counters Counters { get; set; }
    [Id(1)] public VisitorSketch Visitors { get; set; } = new(VisitorSketch.RowPrecision);
}

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

    /// <summary>What a query reads: totals, the visitor sketch and one breakdown's rows, cloned so that nothing shared leaves.</summary>
    public BucketSlice Slice(string? dimension)
    {
        IReadOnlyList<DimensionRow> rows = [];
        if (dimension is not null && Breakdowns.TryGetValue(dimension, out var table))
        {
            rows = [.. table.Rows.Select(r => new DimensionRow(r.Key, r.Value.Counters, r.Value.Visitors.Clone()))];
        }

        return new BucketSlice(Totals, Visitors.Clone(), rows);
    }

    public bool IsEmpty => Totals.IsZero && Visitors.Count() == 0 && Breakdowns.Count == 0;

    /// <summary>
    /// Applies contributions whose id is not in flight (remembering them with <paramref name="now"/>); returns how many
    /// were applied. Shared by the live bucket grain and the re-aggregation, so both count alike.
    /// </summary>
    public int Apply(IEnumerable<BucketContribution> contributions, int breakdownCapacity, long now)
    {
        var applied = 0;
        foreach (var c in contributions)
        {
            if (!InFlight.TryAdd(c.Id, now))
            {
                continue;
            }

            applied++;
            Totals += c.Totals;
            if (c.Visitor is { } visitor)
            {
                Visitors.Add(visitor);
            }

            foreach (var d in c.Dimensions)
            {
                if (!Breakdowns.TryGetValue(d.Dimension, out var table))
                {
                    table = new BreakdownTable();
                    Breakdowns[d.Dimension] = table;
                }

                table.Apply(d, breakdownCapacity);
            }
        }

        return applied;
    }
}

using Analytics.GrainInterfaces.Metrics;

namespace Analytics.Grains.Metrics;

/// <summary>
/// One dimension's rows in one bucket, bounded: once full, new values count under "(other)". A value keeps the row
/// it first landed in, so a later negative delta (an exit page moving on) always meets its positive one.
/// </summary>
[GenerateSerializer, Alias("BreakdownTable")]
public sealed class BreakdownTable
{
    [Id(0)] public Dictionary<string, BreakdownRow> Rows { get; set; } = new(StringComparer.Ordinal);

    public void Apply(DimensionDelta delta, int capacity)
    {
        if (!Rows.TryGetValue(delta.Value, out var row))
        {
            var key = Rows.Count < capacity ? delta.Value : Dimensions.Other;
            if (!Rows.TryGetValue(key, out row))
            {
                row = new BreakdownRow();
                Rows[key] = row;
            }
        }

        row.Counters += delta.Counters;
        if (delta.Visitor is { } visitor)
        {
            row.Visitors.Add(visitor);
        }
    }
}

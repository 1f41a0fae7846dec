namespace Analytics.Grains.Segments;

/// <summary>
/// A group's key as values: its time bucket key (see <see cref="TimeBuckets"/>; 0 without a time dimension) and its
/// non-time dimension values, to find or add the group in a <see cref="GroupTable"/> (which keeps ids, not keys).
/// </summary>
public sealed class GroupKey(long time, string[] values)
{
    public long Time { get; } = time;

    public string[] Values { get; } = values;
}

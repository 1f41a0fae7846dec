namespace Analytics.Grains.Segments;

/// <summary>
/// A group of a partial result: its time bucket key (see <see cref="TimeBuckets"/>; 0 without a time dimension) and
/// its non-time dimension values as strings, so partials of segments with different dictionaries merge.
/// </summary>
[GenerateSerializer, Immutable, Alias("SegmentGroupKey")]
public sealed class GroupKey(long time, string[] values) : IEquatable<GroupKey>
{
    [Id(0)] public long Time { get; } = time;

    [Id(1)] public string[] Values { get; } = values;

    public bool Equals(GroupKey? other) =>
        other is not null && other.Time == Time && Values.AsSpan().SequenceEqual(other.Values);

    public override bool Equals(object? obj) => Equals(obj as GroupKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Time);
        foreach (var value in Values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}

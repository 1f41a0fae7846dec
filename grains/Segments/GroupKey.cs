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

    /// <summary>The hash, computed once: merging partials looks every key up once per segment (0 = not computed yet).</summary>
    [NonSerialized]
    private int _hash;

    public bool Equals(GroupKey? other) =>
        other is not null && other.Time == Time && other.GetHashCode() == GetHashCode() && Values.AsSpan().SequenceEqual(other.Values);

    public override bool Equals(object? obj) => Equals(obj as GroupKey);

    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            _hash = Compute() | 1;
        }

        return _hash;
    }

    private int Compute()
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

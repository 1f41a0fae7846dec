namespace Analytics.Grains.Segments;

/// <summary>
/// The distinct visitors of a scan's groups (<see cref="VisitorsByGroup.Sets"/>): group g's exact set is
/// <c>Hashes[Ends[g]..Ends[g + 1]]</c>, empty for a group past the exact limit, whose set is the sketch in
/// <see cref="Large"/> (null when no group is that large).
/// </summary>
internal readonly record struct VisitorSets(ulong[] Hashes, int[] Ends, GroupVisitors?[]? Large)
{
    /// <summary>Group <paramref name="g"/>'s exact set, as a slice of <see cref="Hashes"/>.</summary>
    public ArraySegment<ulong> Exact(int g) => new(Hashes, Ends[g], Ends[g + 1] - Ends[g]);
}

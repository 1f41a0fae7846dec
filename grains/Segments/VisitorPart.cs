namespace Analytics.Grains.Segments;

/// <summary>
/// One set of a deferred union (<see cref="GroupVisitors.Deferred"/>): a scan's exact set as a slice of its table's
/// array, or, when <see cref="Set"/> is not null, that set.
/// </summary>
[GenerateSerializer, Immutable, Alias("SegmentVisitorPart")]
public readonly record struct VisitorPart([property: Id(0)] ArraySegment<ulong> Exact, [property: Id(1)] GroupVisitors? Set)
{
    /// <summary>The hashes of an exact part (of <see cref="Set"/> once resolved; none for a sketch).</summary>
    internal ReadOnlySpan<ulong> Hashes => Set is { } set ? set.ExactHashes : Exact.AsSpan();
}

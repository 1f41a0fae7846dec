namespace Analytics.Abstractions.Segments;

/// <summary>A segment as read back from its store: the sealed payload, if any, and the batches appended after it, in order.</summary>
public sealed record StoredSegment(byte[]? Sealed, IReadOnlyList<StoredBatch> Batches)
{
    public static readonly StoredSegment Empty = new(null, []);
}

using Analytics.GrainInterfaces.Segments;

namespace Analytics.Grains.Segments;

/// <summary>
/// An open segment: takes appends (skipping any producer sequence already applied), keeps session snapshots by id
/// (a newer version replaces an older one), and builds the immutable <see cref="Segment"/> that queries scan and that is
/// sealed to storage. Not thread-safe: owned by one grain activation.
/// </summary>
public sealed class SegmentBuilder
{
    public SegmentBuilder(SegmentKey key) => Key = key;

    public SegmentKey Key { get; }

    public int EventCount => throw new NotImplementedException("H-seg");

    public int SessionCount => throw new NotImplementedException("H-seg");

    /// <summary>A sealed segment opened again for late rows: its rows and the producers' applied sequences are kept.</summary>
    public static SegmentBuilder Reopen(Segment sealedSegment) => throw new NotImplementedException("H-seg");

    /// <summary>Applies an append; false when its (producer, sequence) was already applied and nothing changed.</summary>
    public bool Apply(SegmentAppend append) => throw new NotImplementedException("H-seg");

    /// <summary>The rows so far as an immutable, scannable segment.</summary>
    public Segment Build() => throw new NotImplementedException("H-seg");
}

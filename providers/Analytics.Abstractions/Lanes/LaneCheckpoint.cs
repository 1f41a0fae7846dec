namespace Analytics.Abstractions.Lanes;

/// <summary>A lane's state as stored: every event at or below <see cref="Offset"/> is handled and reflected in <see cref="Sessions"/>.</summary>
public sealed record LaneCheckpoint(long Offset, DateTime Watermark, IReadOnlyList<StoredLaneSession> Sessions)
{
    /// <summary>A lane that never checkpointed: nothing handled, no sessions.</summary>
    public static LaneCheckpoint Empty { get; } = new(-1, DateTime.MinValue, []);
}

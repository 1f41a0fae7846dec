namespace Analytics.Abstractions.Lanes;

/// <summary>
/// One checkpoint of a lane: its new offset and watermark, and the sessions the batch changed. Sessions that ended
/// (<see cref="StoredLaneSession.End"/>) before <see cref="ExpireBefore"/> can never change again and may be dropped.
/// </summary>
public sealed record LaneCheckpointWrite(long Offset, DateTime Watermark, IReadOnlyList<StoredLaneSession> Sessions, DateTime ExpireBefore);

using Analytics.GrainInterfaces.Events;

namespace Analytics.Grains.Lanes;

/// <summary>An event as its lane receives it: with its offset in the lane's queue (increasing, what checkpoints and segments gate by).</summary>
public readonly record struct LaneEvent(long Offset, TrackedEvent Event);

using System.IO.Hashing;

namespace Analytics.Grains.Sessions;

/// <summary>
/// The session rules, which a lane applies (<see cref="Lanes.LaneSessionTable"/>). A session ends after 30 minutes
/// without events, or at <see cref="GrainInterfaces.Segments.SegmentKey.SessionCutoff"/> after the end of the UTC day it
/// started in. It is a bounce while it has at most one pageview and no interactive custom event; it lasts from its first
/// to its last event (engagement included). An engagement event joins a live session and never opens one. An event
/// older than the visitor's current session start by more than the timeout (or from an earlier UTC day) never joins it:
/// it is a session of its own. A slightly older one, as two beacons sent together often arrive, joins it and becomes its
/// start. Each event goes, with its session's snapshot, to the segment of the session's start day (its own day without one).
/// </summary>
public static class Sessionizer
{
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The id of the session <paramref name="firstEvent"/> opens: the same events always give the same id, never 0.</summary>
    public static ulong SessionIdOf(ulong visitor, Guid firstEvent)
    {
        Span<byte> bytes = stackalloc byte[24];
        BitConverter.TryWriteBytes(bytes, visitor);
        firstEvent.TryWriteBytes(bytes[8..]);
        return Math.Max(1, XxHash64.HashToUInt64(bytes));
    }
}

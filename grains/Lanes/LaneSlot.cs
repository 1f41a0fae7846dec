using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Analytics.Grains.Lanes;

/// <summary>
/// One visitor's state in a lane, fixed-size (128 bytes): its current session (counters, times, pages as
/// <see cref="LaneStrings"/> codes and its attributes as one shared combination) and the ids of its last events, which recognise a duplicate sent twice
/// (a producer's retry) at another offset. Times are ticks (UTC).
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal struct LaneSlot
{
    public const int RememberedEvents = 4;

    public ulong Visitor;
    public int Site;
    /// <summary>Latest event time of the visitor (its session's end, or an event outside one), and the offset of its last event: what expiry goes by.</summary>
    public long LastTicks;
    public long LastOffset;

    public bool HasSession;
    public ulong SessionId;
    public long StartTicks;
    public long EndTicks;
    public int Version;
    public int Pageviews;
    public int Events;
    public bool Interacted;
    public int SenderSessionId;
    public int EntryPage;
    public int ExitPage;
    /// <summary>The session's <see cref="LaneAttributes"/>, a code of the lane's <see cref="LaneAttributeSets"/>.</summary>
    public int Attributes;

    /// <summary>Hashes of the visitor's last <see cref="RememberedEvents"/> event ids (0: empty), a ring at <see cref="RecentNext"/>.</summary>
    public RecentIds Recent;
    public int RecentNext;

    /// <summary>The batch that last changed the slot (so it is checkpointed once), and whether that batch touched its current session (emitted once).</summary>
    public int Batch;
    public bool SessionTouched;

    [InlineArray(RememberedEvents)]
    public struct RecentIds
    {
        private ulong _first;
    }
}

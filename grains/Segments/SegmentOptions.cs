using System.ComponentModel.DataAnnotations;

namespace Analytics.Grains.Segments;

/// <summary>Segments (Analytics:Segments): when they compact and seal.</summary>
public sealed class SegmentOptions
{
    public const string SectionName = "Analytics:Segments";

    /// <summary>
    /// How long after a segment's last possible event plus the session timeout it still waits for late deliveries (Kafka
    /// lag, a retrying tracker) before it seals. Later events still count: they reopen the segment. Tests set it negative
    /// to seal at once.
    /// </summary>
    public TimeSpan SealLag { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Batches an open segment takes (one per lane batch that touches it) before it stores itself as one payload in their
    /// place, so that an activation after a restart replays few; but not sooner than <see cref="CompactInterval"/> after
    /// the last time, since a compaction writes the whole day (eight busy lanes reached 1,000 batches every second).
    /// </summary>
    [Range(1, 1_000_000)]
    public int CompactAfterBatches { get; set; } = 1_000;

    /// <summary>Least time between two compactions of an open segment.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CompactInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bytes of partial answers of sealed segments each silo keeps (<see cref="SegmentPartialCache"/>), those that save
    /// the fewest scanned rows per byte dropped first; 0 turns the cache off. At 10M events a breakdown's partials over a
    /// month of the biggest site take a few MB to a few tens of MB.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long PartialCacheBytes { get; set; } = 192L << 20;

    /// <summary>
    /// How often an open segment whose time has come checks whether it can seal (it retries after a failure), and how long
    /// one reopened by a late append waits before it seals again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SealCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether a starting silo asks the usual questions of a small made-up segment (<see cref="SegmentWarmUp"/>) and one
    /// real question of the grid (<see cref="Query.QueryPathWarmUp"/>) before it serves, so that the first real ones after
    /// a restart run compiled, optimized code.
    /// </summary>
    public bool WarmUpOnStart { get; set; } = true;
}

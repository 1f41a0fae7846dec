using System.ComponentModel.DataAnnotations;

namespace Analytics.Grains.Segments;

/// <summary>Segments (Analytics:Segments): when they seal.</summary>
public sealed class SegmentOptions
{
    public const string SectionName = "Analytics:Segments";

    /// <summary>
    /// How long after a segment's last possible event plus the session timeout it still waits for late deliveries (Kafka
    /// lag, a retrying tracker) before it seals. Later events still count: they reopen the segment. Tests set it negative
    /// to seal at once.
    /// </summary>
    public TimeSpan SealLag { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often an open segment whose time has come checks whether it can seal (it retries after a failure).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SealCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

namespace Analytics.Abstractions.Lanes;

/// <summary>
/// Where a lane (the grain that sessionizes one stream queue) checkpoints: the offset of the last event it has
/// handled, its event-time watermark, and the sessions of its visitors. One write per delivered batch carries the offset
/// and only the sessions that batch changed, atomically: after a crash the lane restores exactly the state of that
/// offset and sessionizes the redelivered events after it again. Payloads are opaque here (the lane's own encoding).
/// Embedded profile: SQLite; cluster profile: Cassandra (one partition per lane, written as a single-partition batch).
/// </summary>
public interface ILaneStateStore
{
    /// <summary>The lane's last checkpoint with every session stored for it; <see cref="LaneCheckpoint.Empty"/> when it never wrote one.</summary>
    Task<LaneCheckpoint> ReadAsync(string lane, CancellationToken cancellationToken);

    /// <summary>Stores the offset, the watermark and the changed sessions (upserted by visitor) atomically, then may drop sessions that ended before <see cref="LaneCheckpointWrite.ExpireBefore"/>.</summary>
    Task WriteAsync(string lane, LaneCheckpointWrite write, CancellationToken cancellationToken);

    /// <summary>Removes the stored sessions of a site from every lane (site erasure).</summary>
    Task DeleteSiteAsync(string site, CancellationToken cancellationToken);
}

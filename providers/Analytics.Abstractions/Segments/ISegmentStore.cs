namespace Analytics.Abstractions.Segments;

/// <summary>
/// Where segments are durable. An open segment is a sequence of appended batches (each one small write); sealing writes
/// the segment once as one compacted payload (Arrow IPC) and drops its batches. A sealed segment that receives a late
/// batch is open again until it is sealed anew. Payloads are opaque here. Keys are <c>SegmentKey</c> strings ("site|day").
/// Embedded profile: SQLite; cluster profile: Cassandra (payloads in chunks of at most 1 MB per cell).
/// </summary>
public interface ISegmentStore
{
    /// <summary>Makes one batch durable; <paramref name="batch"/> grows per segment (a rewrite of the same number replaces it).</summary>
    Task AppendAsync(string segment, long batch, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>The segment as stored: its sealed payload (null if never sealed) and the batches appended since, in order.</summary>
    Task<StoredSegment> ReadAsync(string segment, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="payload"/> as the sealed segment and deletes the batches up to <paramref name="lastBatch"/>
    /// (those it includes); a crash in between leaves batches that replay harmlessly over the sealed payload.
    /// </summary>
    Task SealAsync(string segment, ReadOnlyMemory<byte> payload, long lastBatch, CancellationToken cancellationToken);

    /// <summary>The days of a site that have a segment (sealed or open), for erasure, re-aggregation and export.</summary>
    Task<IReadOnlyList<DateOnly>> ListDaysAsync(string site, CancellationToken cancellationToken);

    /// <summary>Removes every segment of the site.</summary>
    Task DeleteSiteAsync(string site, CancellationToken cancellationToken);
}

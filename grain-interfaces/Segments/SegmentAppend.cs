namespace Analytics.GrainInterfaces.Segments;

/// <summary>
/// What one producer adds to one segment in one step: new event rows and session snapshots. A segment remembers, per
/// producer, the highest sequence it has applied and skips every row at or below it, so a producer that replays after a
/// crash (same state, same events, same sequences) counts nothing twice. A producer is a lane (one per stream queue):
/// each row carries its event's offset in the lane (<see cref="EventSequences"/>), so a replay is recognised row by row
/// however differently the redelivery cuts its batches. Session snapshots are idempotent by version and always applied.
/// </summary>
[GenerateSerializer, Immutable, Alias("SegmentAppend")]
public sealed record SegmentAppend
{
    [Id(0)] public required ulong Producer { get; init; }

    /// <summary>The highest sequence in the append: the producer's position once it is applied.</summary>
    [Id(1)] public required long Sequence { get; init; }

    [Id(2)] public IReadOnlyList<EventRow> Events { get; init; } = [];
    [Id(3)] public IReadOnlyList<SessionRow> Sessions { get; init; } = [];

    /// <summary>Per row of <see cref="Events"/>, its own sequence (ascending); empty: every row has <see cref="Sequence"/>.</summary>
    [Id(4)] public IReadOnlyList<long> EventSequences { get; init; } = [];

    /// <summary>The sequence of row <paramref name="index"/>.</summary>
    public long SequenceOf(int index) => EventSequences.Count == 0 ? Sequence : EventSequences[index];
}

namespace Analytics.GrainInterfaces.Segments;

/// <summary>
/// What one producer adds to one segment in one step: new event rows and session snapshots. A segment remembers, per
/// producer, the highest <see cref="Sequence"/> it has applied and skips anything at or below it, so a producer that
/// replays after a crash (same state, same events, same sequences) counts nothing twice. Today a producer is a visitor
/// (its <see cref="Sketches.VisitorHash"/>); a lane per stream partition can take its place without changing segments.
/// </summary>
[GenerateSerializer, Immutable, Alias("SegmentAppend")]
public sealed record SegmentAppend
{
    [Id(0)] public required ulong Producer { get; init; }
    [Id(1)] public required long Sequence { get; init; }
    [Id(2)] public IReadOnlyList<EventRow> Events { get; init; } = [];
    [Id(3)] public IReadOnlyList<SessionRow> Sessions { get; init; } = [];
}

using Analytics.Abstractions.Lanes;
using Analytics.GrainInterfaces.Segments;

namespace Analytics.Grains.Lanes;

/// <summary>
/// What a lane made of one delivered batch: one append per touched segment (rows with their offsets, the final snapshot of
/// every session the batch touched) and the sessions to checkpoint.
/// </summary>
public sealed record LaneBatch(IReadOnlyList<RoutedAppend> Appends, IReadOnlyList<StoredLaneSession> ChangedSessions, int Duplicates);

using Analytics.GrainInterfaces.Events;

namespace Analytics.Grains.EventLog;

/// <summary>
/// An append-only archive of every accepted event, kept beside the aggregates so that buckets can be rebuilt from it
/// (see <see cref="Metrics.BucketRebuilder"/>). Optional: when the silo registers one, <c>VisitorGrain</c> appends each
/// batch before it counts it, so "counted" always implies "archived". Appends must be idempotent per event id.
/// The embedded profile registers none: its SQLite event log already keeps the raw events.
/// </summary>
public interface IRawEventLog
{
    /// <summary>Completes when every event is durably stored; re-appending an event id rewrites the same row.</summary>
    Task AppendAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken = default);
}

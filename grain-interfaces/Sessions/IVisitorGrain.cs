using Analytics.GrainInterfaces.Events;

namespace Analytics.GrainInterfaces.Sessions;

/// <summary>
/// One per visitor of a site (key: "site|visitor", see <see cref="VisitorKeys"/>): sessionizes the visitor's events
/// and appends them to the segments of their sessions.
/// </summary>
[Alias("IVisitorGrain")]
public interface IVisitorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Processes events in order. Completes only when their rows are durable in their segments and the
    /// visitor's own state is saved, so the caller may then checkpoint. Replaying an event id counts nothing twice.
    /// Events reach a visitor through its event stream in both profiles; this call is what the stream's handler runs,
    /// open to tests that drive one visitor without a stream.
    /// </summary>
    [Alias("Track")]
    Task TrackAsync(IReadOnlyList<TrackedEvent> events);
}

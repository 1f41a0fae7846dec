using Analytics.GrainInterfaces.Events;

namespace Analytics.Tests.Differential;

/// <summary>
/// One visitor's events in the order they are delivered: by time, except the few late ones (imports, late delivery)
/// whose timestamp lies before the visitor's current session. Delivered in <see cref="Batches"/>, as a stream would.
/// </summary>
public sealed record VisitorStream(string Site, string VisitorId, IReadOnlyList<IReadOnlyList<TrackedEvent>> Batches)
{
    public IEnumerable<TrackedEvent> Events => Batches.SelectMany(b => b);
}

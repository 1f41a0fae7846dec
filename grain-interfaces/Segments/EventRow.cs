namespace Analytics.GrainInterfaces.Segments;

/// <summary>
/// One event as a segment keeps it: pageviews, custom events and engagement events, at their own time. It lives in the
/// segment of its session's start (so a segment joins its events to their sessions without leaving itself); an event
/// without a live session (an engagement after the timeout) lives in the segment of its own day with <see cref="Session"/> 0.
/// </summary>
// Never reference-tracked: each row is an object of its own, and tracking a stored batch's rows cost a dictionary per
// append (a lane drain's largest allocation after the events themselves).
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("EventRow")]
public sealed record EventRow
{
    [Id(0)] public required DateTime Timestamp { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Pathname { get; init; }
    [Id(3)] public required string Hostname { get; init; }
    /// <summary><see cref="Sketches.VisitorHash"/> of site and visitor id.</summary>
    [Id(4)] public required ulong Visitor { get; init; }
    /// <summary>The <see cref="SessionRow.SessionId"/> it belongs to; 0 for none.</summary>
    [Id(5)] public required ulong Session { get; init; }
    [Id(6)] public bool Interactive { get; init; } = true;
    [Id(7)] public long EngagementMs { get; init; }
    [Id(8)] public int? ScrollDepth { get; init; }
    [Id(9)] public IReadOnlyDictionary<string, string>? Props { get; init; }
    [Id(10)] public decimal? RevenueAmount { get; init; }
    [Id(11)] public string? RevenueCurrency { get; init; }
}

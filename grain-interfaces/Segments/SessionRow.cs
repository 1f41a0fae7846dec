namespace Analytics.GrainInterfaces.Segments;

/// <summary>
/// A session as it stands after its latest event: a snapshot that replaces the previous one with the same
/// <see cref="SessionId"/> in the segment of the session's start (UTC day), so applying it twice changes nothing.
/// Attributes are fixed at the start; counters, exit page and end move with every event.
/// </summary>
// Never reference-tracked: each row is an object of its own, and tracking a stored batch's rows cost a dictionary per
// append (a lane drain's largest allocation after the events themselves).
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("SessionRow")]
public sealed record SessionRow
{
    /// <summary>Deterministic: the same events always give the same id (a replay after a crash finds its row).</summary>
    [Id(0)] public required ulong SessionId { get; init; }
    [Id(1)] public required ulong Visitor { get; init; }
    [Id(2)] public required DateTime Start { get; init; }
    /// <summary>Time of its latest event (engagement included); duration is End − Start.</summary>
    [Id(3)] public required DateTime End { get; init; }
    /// <summary>How many events the snapshot includes: a snapshot with fewer never replaces one with more.</summary>
    [Id(4)] public required int Version { get; init; }
    [Id(5)] public required string EntryPage { get; init; }
    [Id(6)] public required string ExitPage { get; init; }
    [Id(7)] public required string Hostname { get; init; }
    [Id(8)] public int Pageviews { get; init; }
    /// <summary>Pageviews plus custom events (engagement excluded).</summary>
    [Id(9)] public int Events { get; init; }
    [Id(10)] public bool Bounce { get; init; }
    [Id(11)] public required string Source { get; init; }
    [Id(12)] public string? Referrer { get; init; }
    [Id(13)] public required string Channel { get; init; }
    [Id(14)] public string? UtmSource { get; init; }
    [Id(15)] public string? UtmMedium { get; init; }
    [Id(16)] public string? UtmCampaign { get; init; }
    [Id(17)] public string? UtmContent { get; init; }
    [Id(18)] public string? UtmTerm { get; init; }
    [Id(19)] public required string Device { get; init; }
    [Id(20)] public required string Browser { get; init; }
    [Id(21)] public required string BrowserVersion { get; init; }
    [Id(22)] public required string Os { get; init; }
    [Id(23)] public required string OsVersion { get; init; }
    [Id(24)] public required string Country { get; init; }
    [Id(25)] public string? Region { get; init; }
    [Id(26)] public string? City { get; init; }
    [Id(27)] public string? Screen { get; init; }
}

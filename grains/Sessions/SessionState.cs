using Analytics.GrainInterfaces.Segments;

namespace Analytics.Grains.Sessions;

/// <summary>The visitor's current session: its latest snapshot (what its segment holds) and what the snapshot does not say.</summary>
[GenerateSerializer, Alias("SessionState")]
public sealed class SessionState
{
    [Id(0)] public required SessionRow Row { get; set; }
    /// <summary>Whether an interactive custom event happened (a session with one is no bounce, whatever its pageviews).</summary>
    [Id(1)] public bool Interacted { get; set; }
    /// <summary>The sender's session id (GA4), when it sends one.</summary>
    [Id(2)] public string? SenderSessionId { get; set; }
}
